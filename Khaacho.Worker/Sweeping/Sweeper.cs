using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Sweeping;

/// <summary>Runs the stalled-order, stalled-notification and stalled-inbox sweeps on a timer (in the orders worker).</summary>
public sealed partial class Sweeper(StalledOrders orders, StalledNotifications notifications, StalledInbox inbox, IOptions<SweeperOptions> options, TimeProvider clock,
    ILogger<Sweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        StalledOrders.InitializeMetrics();
        StalledInbox.InitializeMetrics();
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var activity = KhaachoTelemetry.ActivitySource.StartActivity("sweeper.pass");
                var redriven = await orders.SweepAsync(stoppingToken);
                var requeued = await notifications.SweepAsync(stoppingToken);
                activity?.SetTag("khaacho.sweeper.inbox", await inbox.SweepAsync(stoppingToken));
                activity?.SetTag("khaacho.sweeper.orders", redriven);
                activity?.SetTag("khaacho.sweeper.notifications", requeued);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeper pass failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
