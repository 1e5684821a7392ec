using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Khaacho.Core.Messaging;

/// <summary>
/// Publishes outbox rows to their Redis stream exactly once: a Lua script claims <c>outbox:published:&lt;id&gt;</c>
/// and adds the entry atomically, so the fast path and the relay can both try the same row safely.
/// </summary>
public sealed partial class OutboxPublisher(IConnectionMultiplexer redis, ILogger<OutboxPublisher> logger)
{
    private static readonly Counter<long> Published =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.outbox.published", description: "Outbox rows published to their stream");

    // Every series exists from the start (at 0), so dashboards and alerts see "none yet" rather than "no data".
    static OutboxPublisher()
    {
        foreach (var stream in Streams.All) Published.Add(0, new KeyValuePair<string, object?>("stream", stream));
    }

    // Keys: stream, claim key. Args: claim ttl seconds, maxlen, then field/value pairs.
    private static readonly LuaScript PublishOnce = LuaScript.Prepare("""
        if redis.call('SET', @claim, '1', 'NX', 'EX', @ttl) then
          return redis.call('XADD', @stream, 'MAXLEN', '~', @maxLength, '*', 'outbox_id', @outboxId, 'payload', @payload, 'traceparent', @traceParent)
        end
        return false
        """);

    /// <returns>True when this call added the entry, false when it had been published before.</returns>
    public async Task<bool> PublishAsync(OutboxMessage message)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("outbox.publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", message.Stream);
        activity?.SetTag("khaacho.order_id", message.OrderId);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(PublishOnce, new
        {
            stream = (RedisKey)message.Stream,
            claim = (RedisKey)$"outbox:published:{message.Id}",
            ttl = (int)TimeSpan.FromDays(7).TotalSeconds,
            maxLength = Streams.MaxLength,
            outboxId = message.Id,
            payload = message.Payload,
            traceParent = message.TraceParent ?? "",
        });
        var added = !result.IsNull;
        if (added) Published.Add(1, new KeyValuePair<string, object?>("stream", message.Stream));
        return added;
    }

    /// <summary>
    /// The fast path after a commit. A failure here loses nothing: the row stays unpublished and the outbox relay
    /// publishes it. While Redis is disconnected every command would wait for its timeout, so it is not even tried.
    /// </summary>
    public async Task TryPublishAsync(OutboxMessage message)
    {
        if (!redis.IsConnected) return;
        try
        {
            await PublishAsync(message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogPublishDeferred(logger, message.OrderId, message.Stream, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: {Stream} message stays in the outbox for the relay: {Reason}")]
    private static partial void LogPublishDeferred(ILogger logger, Guid? orderId, string stream, string reason);
}
