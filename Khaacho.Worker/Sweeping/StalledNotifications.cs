using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Sweeping;

/// <summary>
/// Every notification owed is a pending row in PostgreSQL, written with the change that caused it; one whose delivery
/// message Redis lost (or whose delivery died while sending) is queued again. Rows are locked with SKIP LOCKED, so replicas share the work; delivery is by
/// the notification's id, so a second message for it sends nothing twice.
/// </summary>
public sealed partial class StalledNotifications(
    IServiceScopeFactory scopes, OutboxPublisher publisher, IOptions<SweeperOptions> options, TimeProvider clock, ILogger<StalledNotifications> logger)
{
    /// <returns>How many notifications were queued again.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var outbox = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var stalled = await db.Notifications.FromSql($"""
                SELECT * FROM notifications WHERE status IN ('pending', 'sending') AND queued_at < {now - settings.NotificationStalledAfter}
                ORDER BY queued_at LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            var rows = stalled.Select(n =>
            {
                // A claim this old belonged to a delivery that died mid-send: owed again, for the next delivery to claim.
                n.Status = NotificationStatus.Pending;
                n.QueuedAt = now;
                return Outbox.ForDelivery(n, now);
            }).ToList();
            db.Outbox.AddRange(rows);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return rows;
        }, cancellationToken);
        foreach (var row in outbox)
        {
            LogRequeued(logger, row.OrderId);
            await publisher.TryPublishAsync(row);
        }
        return outbox.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: a pending notification was not delivered in time; queued again")]
    private static partial void LogRequeued(ILogger logger, Guid? orderId);
}
