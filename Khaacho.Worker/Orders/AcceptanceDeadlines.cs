using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Orders;

/// <summary>
/// Confirmed orders whose vendor has not accepted by the deadline are treated as rejected by that vendor: stock and
/// credit are released and the order is rerouted. Safe with several replicas: each move is guarded by the order's version.
/// </summary>
public sealed partial class AcceptanceDeadlines(
    IServiceScopeFactory scopes, OutboxPublisher publisher, IOptions<OrderProcessingOptions> options, TimeProvider clock, ILogger<AcceptanceDeadlines> logger)
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
            using var activity = KhaachoTelemetry.ActivitySource.StartActivity("order.deadline_expired");
            activity?.SetTag("khaacho.order_id", key.Id);
            var outbox = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var order = await db.Orders.Include(o => o.Items).SingleAsync(o => o.Id == key.Id && o.CreatedAt == key.CreatedAt, ct);
                if (order.Status != OrderStatus.Confirmed || order.AcceptanceDeadline >= now) return (IReadOnlyList<OutboxMessage>)[];
                var written = await OrderLifecycle.MoveAsync(db, order, OrderStatus.RejectedByVendor, "deadline", "the vendor did not accept in time", now, ct);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateConcurrencyException)
                {
                    return []; // the vendor acted, or another replica expired it first
                }
                await transaction.CommitAsync(ct);
                return written;
            }, cancellationToken);
            foreach (var row in outbox) await publisher.TryPublishAsync(row);
            if (outbox.Count > 0)
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
