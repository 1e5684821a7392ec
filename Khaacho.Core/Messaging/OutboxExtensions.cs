using Khaacho.Core.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Core.Messaging;

public static class OutboxExtensions
{
    /// <summary>What every process that changes orders needs: the publisher, its cleanup, the one order-transaction path, and
    /// the ways people change orders through it (placing one, moving one by hand, deciding one in review).</summary>
    public static IServiceCollection AddKhaachoOutbox(this IServiceCollection services)
    {
        services.AddOptions<StreamLimits>().BindConfiguration(StreamLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxPublishOptions>().BindConfiguration(OutboxPublishOptions.Section);
        services.AddSingleton<PublishedOutboxRows>();
        services.AddHostedService(sp => sp.GetRequiredService<PublishedOutboxRows>());
        services.AddSingleton<OutboxPublisher>();
        services.AddSingleton<OrderTransactions>();
        services.AddSingleton<OrderIntake>();
        services.AddSingleton<OrderStatusChanges>();
        services.AddSingleton<Review.OrderReviews>();
        return services;
    }
}
