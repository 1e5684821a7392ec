using Khaacho.WhatsAppSandbox.Api;
using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Graph;
using Khaacho.WhatsAppSandbox.Webhook;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Hosting;

public static class Extensions
{
    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SandboxJsonContext.Default));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatStore>();
        builder.Services.AddSingleton<DemoContacts>();
        builder.Services.AddSingleton<TemplateCatalogue>();
        builder.Services.AddSingleton<FaultInjection>();
        builder.Services.AddSingleton<SandboxStatus>();
        builder.Services.AddSingleton<WebhookPayloads>();
        builder.Services.AddSingleton<WebhookClient>();
        builder.Services.AddSingleton<WebhookDelivery>();
        builder.Services.AddSingleton<StatusCallbacks>();
        builder.Services.AddHostedService<SubscriptionHandshake>();
        builder.Services.AddWebhookHttpClient();
        return builder;
    }

    public static WebApplication MapSandbox(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGraphApi();
        app.MapInboundApi();
        app.MapConversationsApi();
        app.MapAdminApi();
        return app;
    }

    /// <summary>
    /// The webhook client: one attempt per call with the configured timeout. The sandbox retries as Meta does
    /// (<see cref="WebhookDelivery"/>); the service defaults' standard handler would retry on top of it.
    /// </summary>
    private static void AddWebhookHttpClient(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental, and the only way to drop a default handler for one client.
        services.AddHttpClient(WebhookClient.HttpClientName)
            .ConfigureHttpClient((provider, http) => http.Timeout = provider.GetRequiredService<IOptions<SandboxOptions>>().Value.WebhookTimeout)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
