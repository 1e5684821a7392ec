using Khaacho.Core.Data;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Orders;

/// <summary>
/// Confirmed orders whose vendor has not accepted by the deadline are treated as rejected by that vendor: stock and
/// credit are released and the order is rerouted. Safe with several replicas: each move locks the order and checks its state again.
/// </summary>
public sealed partial class AcceptanceDeadlines(
    IServiceScopeFactory scopes, OrderTransactions transactions, IOptions<OrderProcessingOptions> options, TimeProvider clock, ILogger<AcceptanceDeadlines> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DeadlineCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ExpireDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Confirmed && o.AcceptanceDeadline < now)
            .OrderBy(o => o.AcceptanceDeadline).Take(100).Select(o => new { o.Id, o.CreatedAt }).ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var key in due)
        {
            var result = await transactions.ChangeAsync("deadline_expired", key.Id, key.CreatedAt, async (change, ct) =>
            {
                if (change.Order.Status != OrderStatus.Confirmed || change.Order.AcceptanceDeadline >= now) return; // the vendor acted first
                await OrderLifecycle.MoveAsync(change, OrderStatus.RejectedByVendor, "deadline", "the vendor did not accept in time", ct);
            }, cancellationToken);
            if (result.Outcome == OrderChangeOutcome.Committed)
            {
                expired++;
                LogExpired(logger, key.Id);
            }
        }
        return expired;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} passed its acceptance deadline; rerouting")]
    private static partial void LogExpired(ILogger logger, Guid orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking acceptance deadlines failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
