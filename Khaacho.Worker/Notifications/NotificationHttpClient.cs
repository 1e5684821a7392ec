using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Khaacho.Worker.Notifications;

public static class NotificationHttpClient
{
    /// <summary>
    /// The notifications client: one attempt with a time limit, no retry. The service defaults' standard handler
    /// retries POSTs, and a retried send whose first attempt reached the Cloud API is a message delivered twice.
    /// </summary>
    public static IServiceCollection AddNotificationHttpClient(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental, and the only way to drop a default handler for one client.
        services.AddHttpClient(NotificationDelivery.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
            .AddResilienceHandler(NotificationDelivery.HttpClientName, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value;
                pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "send", Timeout = options.SendTimeout });
            });
        return services;
    }
}
