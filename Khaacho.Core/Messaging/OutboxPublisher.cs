using System.Diagnostics;
using System.Diagnostics.Metrics;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Khaacho.Core.Messaging;

/// <summary>
/// Publishes outbox rows to their Redis stream: a Lua script checks the stream's capacity, claims
/// <c>outbox:published:&lt;id&gt;</c> and adds the entry atomically, so the fast path and the relay can both try the
/// same row without doubling it. Duplicates would still be harmless (every handler is idempotent); the claim only
/// saves the work. A published row is handed to <see cref="PublishedOutboxRows"/> to be deleted.
/// </summary>
public sealed partial class OutboxPublisher(
    IConnectionMultiplexer redis, PublishedOutboxRows published, IOptions<StreamLimits> limits, IOptions<OutboxPublishOptions> options,
    ILogger<OutboxPublisher> logger)
{
    private static readonly Counter<long> Published =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.outbox.published", description: "Outbox rows published to their stream");
    private static readonly Counter<long> Deferred =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.outbox.deferred", description: "Publishes deferred because the stream was at its capacity");

    // Every series exists from the start (at 0), so dashboards and alerts see "none yet" rather than "no data".
    static OutboxPublisher()
    {
        foreach (var stream in Streams.All)
        {
            Published.Add(0, new KeyValuePair<string, object?>("stream", stream));
            Deferred.Add(0, new KeyValuePair<string, object?>("stream", stream));
        }
    }

    // 1: added; 0: published before; -1: the stream is full (nothing claimed, so the relay can try again later).
    private static readonly LuaScript PublishOnce = LuaScript.Prepare("""
        if redis.call('EXISTS', @claim) == 1 then return 0 end
        if redis.call('XLEN', @stream) >= tonumber(@capacity) then return -1 end
        redis.call('SET', @claim, '1', 'EX', @ttl)
        redis.call('XADD', @stream, '*', 'outbox_id', @outboxId, 'payload', @payload, 'traceparent', @traceParent)
        return 1
        """);

    public async Task<PublishOutcome> PublishAsync(OutboxMessage message)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("outbox.publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", message.Stream);
        activity?.SetTag("khaacho.order_id", message.OrderId);
        var result = (int)await redis.GetDatabase().ScriptEvaluateAsync(PublishOnce, new
        {
            stream = (RedisKey)message.Stream,
            claim = (RedisKey)$"outbox:published:{message.Id}",
            ttl = (int)options.Value.ClaimTtl.TotalSeconds,
            capacity = limits.Value.Capacity,
            outboxId = message.Id,
            payload = message.Payload,
            traceParent = message.TraceParent ?? "",
        });
        var tag = new KeyValuePair<string, object?>("stream", message.Stream);
        switch (result)
        {
            case 1:
                Published.Add(1, tag);
                published.Delete(message.Id);
                return PublishOutcome.Added;
            case 0:
                published.Delete(message.Id);
                return PublishOutcome.AlreadyPublished;
            default:
                Deferred.Add(1, tag);
                activity?.SetTag("khaacho.outbox.deferred", true);
                return PublishOutcome.StreamFull;
        }
    }

    /// <summary>
    /// The fast path after a commit. A failure here loses nothing: the row stays in the outbox and the relay publishes
    /// it. While Redis is disconnected every command would wait for its timeout, so it is not even tried.
    /// </summary>
    public async Task TryPublishAsync(OutboxMessage message)
    {
        if (!redis.IsConnected) return;
        try
        {
            if (await PublishAsync(message) == PublishOutcome.StreamFull)
                LogPublishDeferred(logger, message.OrderId, message.Stream, "the stream is at its capacity");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogPublishDeferred(logger, message.OrderId, message.Stream, ex.Message);
        }
    }

    /// <summary>Every row <see cref="TryPublishAsync"/> of them, in order: what a transaction queued, once it committed.</summary>
    public async Task TryPublishAllAsync(IEnumerable<OutboxMessage> messages)
    {
        foreach (var message in messages) await TryPublishAsync(message);
    }

    /// <summary>The outbox rows <paramref name="db"/> is about to insert: what to publish once its transaction commits.</summary>
    public static List<OutboxMessage> Queued(KhaachoDbContext db) =>
        [.. db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: {Stream} message stays in the outbox for the relay: {Reason}")]
    private static partial void LogPublishDeferred(ILogger logger, Guid? orderId, string stream, string reason);
}

/// <summary>Section <c>Outbox</c>, as the publisher reads it.</summary>
public sealed class OutboxPublishOptions
{
    public const string Section = "Outbox";

    /// <summary>
    /// How long a published row's claim key lives. It only has to outlast the time from a publish to the relay's next
    /// look at the row (grace plus one pass, seconds), in case the row's deletion was lost.
    /// </summary>
    public TimeSpan ClaimTtl { get; set; } = TimeSpan.FromMinutes(2);
}
