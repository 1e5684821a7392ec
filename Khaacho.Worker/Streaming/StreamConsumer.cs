using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Khaacho.Core.Messaging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Khaacho.Worker.Streaming;

/// <summary>
/// Consumes one stream through its consumer group: reads in batches with bounded concurrency, acknowledges only after
/// the handler's effect committed, retries through a delayed-retry sorted set (never by sleeping), dead-letters after
/// the last attempt, claims what dead consumers left pending (and dead-letters an entry that keeps killing them), keeps
/// what it holds from being claimed while it works, recreates its group if Redis lost it, and on shutdown stops
/// reading, finishes what it holds and hands back what does not finish in time.
/// </summary>
public sealed partial class StreamConsumer(
    IStreamHandler handler, IConnectionMultiplexer redis, IOptions<StreamOptions> options, IOptions<StreamLimits> limits, TimeProvider clock,
    ILogger<StreamConsumer> logger)
    : BackgroundService
{
    private readonly string stream = handler.Stream;
    private readonly string group = Streams.Group(handler.Stream);
    private readonly StreamOptions settings = options.Value;
    private readonly string consumer = options.Value.ConsumerName is { Length: > 0 } name ? name : $"{handler.Stream}-{Environment.MachineName}-{Environment.ProcessId}";
    private readonly ConcurrentDictionary<string, Task> inFlight = new();
    private readonly CancellationTokenSource handlersStopping = new();

    private static readonly LuaScript MoveDueRetries = LuaScript.Prepare("""
        local due = redis.call('ZRANGEBYSCORE', @retrySet, '-inf', @now, 'LIMIT', 0, @limit)
        for _, member in ipairs(due) do
          if redis.call('ZREM', @retrySet, member) == 1 then
            local m = cjson.decode(member)
            redis.call('XADD', @stream, '*', 'payload', m.payload, 'traceparent', m.traceparent, 'attempt', m.attempt, 'first_seen', m.first_seen)
          end
        end
        return #due
        """);

    private IDatabase Db => redis.GetDatabase();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await EnsureGroupAsync(stoppingToken);
        // Every series exists from the start (at 0), so dashboards and alerts see "none yet" rather than "no data".
        foreach (var counter in new[] { StreamMetrics.Consumed, StreamMetrics.Acked, StreamMetrics.Retried, StreamMetrics.DeadLettered, StreamMetrics.Claimed, StreamMetrics.Poison, StreamMetrics.GroupRecreated, StreamMetrics.HandedBack })
            counter.Add(0, StreamMetrics.StreamTag(stream));
        LogStarted(logger, stream, consumer, settings.Concurrency);
        var retries = MoveDueRetriesAsync(stoppingToken);
        var heartbeat = RefreshInFlightAsync(stoppingToken);
        using var slots = new SemaphoreSlim(settings.Concurrency);
        var lastClaim = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                slots.Release();
                var free = Math.Min(settings.BatchSize, slots.CurrentCount);
                StreamEntry[] entries = [];
                if (clock.GetUtcNow() - lastClaim > settings.ClaimIdleTime / 2)
                {
                    lastClaim = clock.GetUtcNow();
                    entries = await ClaimAbandonedAsync(free);
                }
                if (entries.Length == 0) entries = await Db.StreamReadGroupAsync(stream, group, consumer, StreamPosition.NewMessages, free);
                if (entries.Length == 0)
                {
                    await Task.Delay(settings.IdlePollInterval, clock, stoppingToken);
                    continue;
                }
                foreach (var entry in entries)
                {
                    await slots.WaitAsync(CancellationToken.None);
                    var id = entry.Id.ToString();
                    inFlight[id] = Task.Run(async () =>
                    {
                        try
                        {
                            await ProcessAsync(entry);
                        }
                        catch (Exception ex) when (ex is RedisException or TimeoutException)
                        {
                            // Not acknowledged: the message stays pending and is claimed again once Redis answers.
                            LogRedisUnavailable(logger, stream, ex.Message);
                        }
                        finally
                        {
                            slots.Release();
                            inFlight.TryRemove(id, out _);
                        }
                    }, CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RedisServerException ex) when (IsGroupMissing(ex))
            {
                await RecreateGroupAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, stream, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A consumer that threw out of this loop would stop the worker; whatever it was, the next pass tries again.
                LogLoopFailed(logger, ex, stream);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, CancellationToken.None);
            }
        }
        await DrainAsync();
        await Task.WhenAll(retries, heartbeat);
    }

    /// <summary>Graceful shutdown: nothing new is read; what is in hand may finish, and what cannot in time is handed back.</summary>
    private async Task DrainAsync()
    {
        LogDraining(logger, stream, inFlight.Count);
        var all = Task.WhenAll(inFlight.Values);
        if (await Task.WhenAny(all, Task.Delay(settings.DrainTimeout, clock)) == all) return;
        await handlersStopping.CancelAsync();
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), clock));
    }

    private async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await CreateGroupAsync();
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, stream, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
            }
        }
    }

    /// <returns>True when this call created the group.</returns>
    private async Task<bool> CreateGroupAsync()
    {
        try
        {
            // From the beginning: messages published before any worker existed (or since Redis lost the group) are still consumed.
            return await Db.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>Redis lost the group (a restart without its data, FLUSHALL): recreate it; the sweeper re-drives what was lost with it.</summary>
    private async Task RecreateGroupAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await CreateGroupAsync())
            {
                StreamMetrics.GroupRecreated.Add(1, StreamMetrics.StreamTag(stream));
                LogGroupRecreated(logger, stream);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, stream, ex.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
        }
    }

    private static bool IsGroupMissing(RedisServerException ex) => ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    private async Task<StreamEntry[]> ClaimAbandonedAsync(int count)
    {
        var result = await Db.StreamAutoClaimAsync(stream, group, consumer, (long)settings.ClaimIdleTime.TotalMilliseconds, "0-0", count);
        if (result.DeletedIds.Length > 0)
        {
            // Pending entries that are no longer in the stream (trimmed or lost by Redis): nothing to process; their orders are re-driven from PostgreSQL.
            await Db.StreamAcknowledgeAsync(stream, group, result.DeletedIds);
            LogDeletedWhilePending(logger, result.DeletedIds.Length, stream);
        }
        // Ours already (this process holds it): never run the same entry twice at once.
        var claimed = result.ClaimedEntries.Where(e => !e.IsNull && !inFlight.ContainsKey(e.Id.ToString())).ToArray();
        if (claimed.Length == 0) return claimed;
        StreamMetrics.Claimed.Add(claimed.Length, StreamMetrics.StreamTag(stream));
        LogClaimed(logger, claimed.Length, stream);
        return await WithoutPoisonAsync(claimed);
    }

    /// <summary>An entry delivered more than <see cref="StreamOptions.MaxDeliveries"/> times keeps killing or stalling its consumers: dead-letter it.</summary>
    private async Task<StreamEntry[]> WithoutPoisonAsync(StreamEntry[] claimed)
    {
        var ids = claimed.Select(e => e.Id.ToString()).ToHashSet();
        var pending = await Db.StreamPendingMessagesAsync(stream, group, claimed.Length, consumer, claimed.Min(e => e.Id), claimed.Max(e => e.Id));
        var poison = pending.Where(p => ids.Contains(p.MessageId.ToString()) && p.DeliveryCount > settings.MaxDeliveries)
            .ToDictionary(p => p.MessageId.ToString(), p => p.DeliveryCount);
        foreach (var entry in claimed.Where(e => poison.ContainsKey(e.Id.ToString())))
        {
            var message = ReadOrRaw(entry);
            StreamMetrics.Poison.Add(1, StreamMetrics.StreamTag(stream));
            await DeadLetterAsync(message, new PermanentStreamFailure($"Delivered {poison[entry.Id.ToString()]} times without finishing: it crashed or stalled every consumer that took it."));
        }
        return [.. claimed.Where(e => !poison.ContainsKey(e.Id.ToString()))];
    }

    private StreamMessage ReadOrRaw(StreamEntry entry)
    {
        try
        {
            return StreamMessage.From(stream, entry, clock.GetUtcNow());
        }
        catch (PermanentStreamFailure)
        {
            return new StreamMessage(stream, entry.Id!, entry[StreamMessage.PayloadField].ToString(), null, 1, clock.GetUtcNow());
        }
    }

    private async Task ProcessAsync(StreamEntry entry)
    {
        StreamMessage message;
        try
        {
            message = StreamMessage.From(stream, entry, clock.GetUtcNow());
        }
        catch (PermanentStreamFailure ex)
        {
            StreamMetrics.Poison.Add(1, StreamMetrics.StreamTag(stream));
            await DeadLetterAsync(ReadOrRaw(entry), ex);
            return;
        }
        ActivityContext.TryParse(message.TraceParent, null, out var parent);
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity($"{stream} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", stream);
        activity?.SetTag("messaging.message.id", message.Id);
        activity?.SetTag("khaacho.attempt", message.Attempt);
        StreamMetrics.Consumed.Add(1, StreamMetrics.StreamTag(stream));
        var started = Stopwatch.GetTimestamp();
        try
        {
            await handler.HandleAsync(message, handlersStopping.Token);
            await Db.StreamAcknowledgeAsync(stream, group, message.Id);
            StreamMetrics.Acked.Add(1, StreamMetrics.StreamTag(stream));
        }
        catch (OperationCanceledException) when (handlersStopping.IsCancellationRequested)
        {
            await HandBackAsync(message);
        }
        catch (Exception ex) when (ex is PermanentStreamFailure || message.Attempt >= settings.MaxAttempts)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await DeadLetterAsync(message, ex);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await ScheduleRetryAsync(message, ex);
        }
        finally
        {
            StreamMetrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, StreamMetrics.StreamTag(stream));
        }
    }

    /// <summary>Shutdown came before the handler finished: another consumer gets the message now, at the same attempt, instead of after the claim timeout.</summary>
    private async Task HandBackAsync(StreamMessage message)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.StreamAddAsync(stream, message.Fields(message.Attempt));
        _ = transaction.StreamAcknowledgeAsync(stream, group, message.Id);
        await transaction.ExecuteAsync();
        StreamMetrics.HandedBack.Add(1, StreamMetrics.StreamTag(stream));
        LogHandedBack(logger, stream, message.Id);
    }

    private async Task ScheduleRetryAsync(StreamMessage message, Exception error)
    {
        var delay = RetrySchedule.DelayAfter(message.Attempt, settings.RetryBaseDelay, settings.RetryMaxDelay, Random.Shared);
        var due = clock.GetUtcNow() + delay;
        var member = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = message.Id,
            ["payload"] = message.Payload,
            ["traceparent"] = message.TraceParent ?? "",
            ["attempt"] = message.Attempt + 1,
            ["first_seen"] = message.FirstSeenAt.ToUnixTimeMilliseconds(),
            ["last_error"] = error.Message,
        });
        // Scheduling and acknowledging together: a crash between them cannot lose or double the message.
        var transaction = Db.CreateTransaction();
        _ = transaction.SortedSetAddAsync(Streams.RetrySet(stream), member, due.ToUnixTimeMilliseconds());
        _ = transaction.StreamAcknowledgeAsync(stream, group, message.Id);
        await transaction.ExecuteAsync();
        StreamMetrics.Retried.Add(1, StreamMetrics.StreamTag(stream));
        LogRetrying(logger, stream, message.Id, message.Attempt, delay.TotalMilliseconds, error.Message);
    }

    private async Task DeadLetterAsync(StreamMessage message, Exception error)
    {
        var now = clock.GetUtcNow();
        var transaction = Db.CreateTransaction();
        _ = transaction.StreamAddAsync(Streams.DeadLetters(stream),
        [
            new(DeadLetterFields.Stream, stream),
            new(DeadLetterFields.OriginalId, message.Id),
            new(DeadLetterFields.Payload, message.Payload),
            new(DeadLetterFields.TraceParent, message.TraceParent ?? ""),
            new(DeadLetterFields.Attempts, message.Attempt),
            new(DeadLetterFields.Error, error.Message),
            new(DeadLetterFields.FirstSeenAt, message.FirstSeenAt.ToUnixTimeMilliseconds()),
            new(DeadLetterFields.DeadLetteredAt, now.ToUnixTimeMilliseconds()),
        ], maxLength: limits.Value.DeadLetterCapacity, useApproximateMaxLength: true);
        _ = transaction.StreamAcknowledgeAsync(stream, group, message.Id);
        await transaction.ExecuteAsync();
        StreamMetrics.DeadLettered.Add(1, StreamMetrics.StreamTag(stream));
        LogDeadLettered(logger, error, stream, message.Id, message.Attempt);
        try
        {
            await handler.OnDeadLetteredAsync(message, error.Message, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The sweeper finds the order still in the pipeline and drives it again, so it cannot stay pending.
            LogDeadLetterHookFailed(logger, ex, stream, message.Id);
        }
    }

    private async Task MoveDueRetriesAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Db.ScriptEvaluateAsync(MoveDueRetries, new
                {
                    retrySet = (RedisKey)Streams.RetrySet(stream),
                    stream = (RedisKey)stream,
                    now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                    limit = 500,
                });
                await Task.Delay(TimeSpan.FromMilliseconds(200), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), clock, CancellationToken.None);
            }
        }
    }

    /// <summary>Resets the idle time of what this process holds (XCLAIM JUSTID to itself), so nobody claims a message that is still being worked on.</summary>
    private async Task RefreshInFlightAsync(CancellationToken stoppingToken)
    {
        var interval = settings.ClaimIdleTime / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
                var held = inFlight.Keys.Select(id => (RedisValue)id).ToArray();
                if (held.Length > 0) await Db.StreamClaimIdsOnlyAsync(stream, group, consumer, 0, held);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, stream, ex.Message);
            }
        }
    }

    public override void Dispose()
    {
        handlersStopping.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Stream} as {Consumer} with concurrency {Concurrency}")]
    private static partial void LogStarted(ILogger logger, string stream, string consumer, int concurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped reading {Stream}; finishing {InFlight} messages in hand")]
    private static partial void LogDraining(ILogger logger, string stream, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable while consuming {Stream}: {Reason}")]
    private static partial void LogRedisUnavailable(ILogger logger, string stream, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consuming {Stream} failed unexpectedly; trying again")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The consumer group of {Stream} was gone (Redis lost its data); recreated it from the start of the stream")]
    private static partial void LogGroupRecreated(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed {Count} abandoned messages of {Stream}")]
    private static partial void LogClaimed(ILogger logger, int count, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} pending entries of {Stream} were no longer in the stream; acknowledged (their orders are re-driven from PostgreSQL)")]
    private static partial void LogDeletedWhilePending(ILogger logger, int count, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stream} message {MessageId} handed back to the stream at shutdown")]
    private static partial void LogHandedBack(ILogger logger, string stream, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stream} message {MessageId} failed attempt {Attempt}; retrying in {DelayMs:F0} ms: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string stream, string messageId, int attempt, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Stream} message {MessageId} dead-lettered after attempt {Attempt}")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, string stream, string messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-letter hook failed for {Stream} message {MessageId}")]
    private static partial void LogDeadLetterHookFailed(ILogger logger, Exception exception, string stream, string messageId);
}
