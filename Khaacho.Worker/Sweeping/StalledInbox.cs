using System.Diagnostics.Metrics;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Sweeping;

/// <summary>
/// Every WhatsApp message the webhook answered 200 is an inbox row; one not handled long after it was queued lost its
/// stream entry (Redis forgot it) and is queued again. Handling is by the row's id under a lock, so a second copy does nothing.
/// </summary>
public sealed partial class StalledInbox(
    IServiceScopeFactory scopes, OutboxPublisher publisher, IOptions<SweeperOptions> options, TimeProvider clock, ILogger<StalledInbox> logger)
{
    private static readonly Counter<long> Requeued =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.inbox_requeued", description: "WhatsApp messages queued again by the sweeper (their stream entry was lost)");

    public static void InitializeMetrics() => Requeued.Add(0);

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
            var stalled = await db.WhatsAppInbox.FromSql($"""
                SELECT * FROM whatsapp_inbox WHERE processed_at IS NULL AND queued_at < {now - settings.InboxStalledAfter}
                ORDER BY queued_at LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            foreach (var message in stalled)
            {
                message.QueuedAt = now;
                Outbox.ForInbox(db, message, now);
            }
            var rows = OutboxPublisher.Queued(db);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return rows;
        }, cancellationToken);
        await publisher.TryPublishAllAsync(outbox);
        if (outbox.Count > 0)
        {
            Requeued.Add(outbox.Count);
            LogRequeued(logger, outbox.Count);
        }
        return outbox.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} WhatsApp messages were not handled in time; queued again")]
    private static partial void LogRequeued(ILogger logger, int count);
}
