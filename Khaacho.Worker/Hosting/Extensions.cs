using Khaacho.Ai;
using Khaacho.Core.Credit;
using Khaacho.Core.Hosting;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders.Quoting;
using Khaacho.Core.Review;
using Khaacho.Worker.Ai;
using Khaacho.Worker.Credit;
using Khaacho.Worker.Maintenance;
using Khaacho.Worker.Notifications;
using Khaacho.Worker.Orders;
using Khaacho.Worker.Streaming;
using Khaacho.Worker.Sweeping;
using Khaacho.Worker.WhatsApp;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Khaacho.Worker.Hosting;

public static class Extensions
{
    public static WebApplicationBuilder AddWorkerServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>()
            .Bind(builder.Configuration.GetSection(WorkerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Longer than a message takes, so a stopping worker finishes what it holds (see StreamConsumer).
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(45));

        builder.AddKhaachoDatabase();
        // A worker without Redis cannot consume its stream: not ready.
        builder.AddKhaachoRedis(HealthStatus.Unhealthy);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddKhaachoOutbox();
        builder.Services.AddHostedService<WorkerStartupLog>();

        var workerType = builder.Configuration[$"{WorkerOptions.Section}:{nameof(WorkerOptions.Type)}"] ?? new WorkerOptions().Type;
        switch (workerType)
        {
            case Streams.Orders:
                builder.Services.AddOptions<PartitionMaintenanceOptions>().BindConfiguration(PartitionMaintenanceOptions.Section);
                builder.Services.AddOrderRouting();
                builder.Services.AddSingleton<IStreamHandler, OrderPipeline>();
                builder.Services.AddHostedService<AcceptanceDeadlines>();
                builder.Services.AddHostedService<ReviewDeadlines>();
                builder.Services.AddMetricsAtStart(ReviewMetrics.Initialize);
                builder.Services.AddOptions<SweeperOptions>().BindConfiguration(SweeperOptions.Section).ValidateDataAnnotations().ValidateOnStart();
                builder.Services.AddSingleton<StalledOrders>();
                builder.Services.AddSingleton<StalledNotifications>();
                builder.Services.AddSingleton<StalledInbox>();
                builder.Services.AddHostedService<Sweeper>();
                builder.Services.AddHostedService<PartitionMaintenance>();
                builder.Services.AddCreditJobs();
                break;
            case Streams.Ai:
                builder.Services.AddOrderTextParsing();
                builder.Services.AddSingleton<IStreamHandler, TextOrderParsing>();
                break;
            case Streams.Notifications:
                builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section);
                builder.Services.AddWhatsAppOptions();
                builder.Services.AddNotificationHttpClient();
                // A webhook outage lasts minutes, not seconds: about 4 min of retries before a notification is given up.
                builder.Services.Configure<StreamOptions>(streams => streams.MaxAttempts = 10);
                builder.Services.AddSingleton<IStreamHandler, NotificationDelivery>();
                builder.Services.AddMetricsAtStart(NotificationDelivery.InitializeMetrics);
                break;
            case Streams.WhatsApp:
                builder.Services.AddWhatsAppConversations();
                break;
        }
        // After the worker type's own defaults, so configuration has the last word.
        builder.Services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.Section);
        builder.Services.AddHostedService<StreamConsumer>();
        builder.Services.AddHostedService<StreamBacklogMonitor>();
        builder.Services.AddHostedService<StreamTrimmer>();
        return builder;
    }

    /// <summary>What routes and quotes orders: candidates, workload, quotes (the orders and whatsapp workers).</summary>
    private static IServiceCollection AddOrderRouting(this IServiceCollection services)
    {
        services.AddOptions<OrderProcessingOptions>().BindConfiguration(OrderProcessingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddKhaachoCredit();
        services.AddOrderQuoting();
        return services;
    }

    /// <summary>The khata's scheduled work in the orders worker: reconciliation against the ledger and daily payment reminders.</summary>
    private static IServiceCollection AddCreditJobs(this IServiceCollection services)
    {
        services.AddHostedService<CreditReconciliationJob>();
        services.AddSingleton<PaymentReminders>();
        services.AddHostedService(provider => provider.GetRequiredService<PaymentReminders>());
        services.AddMetricsAtStart(CreditReconciliationJob.InitializeMetrics);
        services.AddMetricsAtStart(PaymentReminders.InitializeMetrics);
        return services;
    }

    private static IServiceCollection AddWhatsAppOptions(this IServiceCollection services)
    {
        services.AddOptions<Core.WhatsApp.WhatsAppOptions>().BindConfiguration(Core.WhatsApp.WhatsAppOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>The whatsapp worker: inbound messages and delivery reports, the retailer's and vendor's conversations, read-back expiry.</summary>
    private static IServiceCollection AddWhatsAppConversations(this IServiceCollection services)
    {
        services.AddWhatsAppOptions();
        services.AddOrderTextParsing();
        services.AddOrderRouting();
        services.AddSingleton<ChatTexts>();
        services.AddSingleton<RetailerChat>();
        services.AddSingleton<VendorChat>();
        services.AddSingleton<DeliveryReports>();
        services.AddSingleton<IStreamHandler, InboundMessages>();
        services.AddHostedService<ReadBackExpiry>();
        return services;
    }
}
