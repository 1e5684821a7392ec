using System.Diagnostics.Metrics;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.WhatsApp;

/// <summary>What a delivery changed: entries stored now, and entries already stored by an earlier delivery of the same.</summary>
public sealed record WebhookReceipt(int Stored, int Duplicates, int Skipped);

/// <summary>
/// Stores a delivery's messages and reports in the inbox, each with its outbox row, in one transaction, before the
/// webhook answers: once Meta has its 200, PostgreSQL holds the message, whatever happens to the api or Redis next.
/// An id already stored (Meta redelivers until it gets a 200) inserts nothing and queues nothing.
/// </summary>
public sealed partial class WhatsAppInbox(KhaachoDbContext db, OutboxPublisher publisher, TimeProvider clock, ILogger<WhatsAppInbox> logger)
{
    private static readonly Counter<long> Received =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.inbound", description: "WhatsApp messages and delivery reports stored by the webhook, by kind");
    private static readonly Counter<long> Redelivered =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.inbound.duplicates", description: "Webhook entries already stored (Meta's redeliveries)");

    public static void InitializeMetrics()
    {
        foreach (var kind in WireNames.All<InboxKind>()) Received.Add(0, new KeyValuePair<string, object?>("kind", kind));
        Redelivered.Add(0);
    }

    public async Task<WebhookReceipt> StoreAsync(IReadOnlyList<InboxEntry> entries, int skipped, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<OutboxMessage> queued = [];
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            queued = [];
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var entry in entries)
            {
                var inserted = await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO whatsapp_inbox (id, kind, phone, payload, received_at, queued_at)
                    VALUES ({entry.Id}, {entry.Kind.ToWire()}, {entry.Phone}, {entry.Payload}, {now}, {now})
                    ON CONFLICT (id) DO NOTHING
                    """, ct);
                if (inserted == 0) continue;
                Outbox.ForInbox(db, new InboxMessage { Id = entry.Id, Kind = entry.Kind, Phone = entry.Phone, Payload = entry.Payload, ReceivedAt = now, QueuedAt = now }, now);
            }
            queued = OutboxPublisher.Queued(db);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
        await publisher.TryPublishAllAsync(queued);

        foreach (var group in entries.GroupBy(e => e.Kind)) Received.Add(group.Count(), new KeyValuePair<string, object?>("kind", group.Key.ToWire()));
        var duplicates = entries.Count - queued.Count;
        if (duplicates > 0) Redelivered.Add(duplicates);
        LogStored(logger, queued.Count, duplicates, skipped);
        return new WebhookReceipt(queued.Count, duplicates, skipped);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp webhook: {Stored} stored, {Duplicates} already stored, {Skipped} unreadable")]
    private static partial void LogStored(ILogger logger, int stored, int duplicates, int skipped);
}
