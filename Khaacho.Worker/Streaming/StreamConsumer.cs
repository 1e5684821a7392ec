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
/// the last attempt, claims what dead consumers left pending, and on shutdown stops reading and finishes what it holds.
/// </summary>
public sealed partial class StreamConsumer(
    IStreamHandler handler, IConnectionMultiplexer redis, IOptions<StreamOptions> options, TimeProvider clock, ILogger<StreamConsumer> logger)
    : BackgroundService
{
    private readonly string stream = handler.Stream;
    private readonly string group = Streams.Group(handler.Stream);
    private readonly string consumer = $"{handler.Stream}-{Environment.MachineName}-{Environment.ProcessId}";
    private readonly StreamOptions settings = options.Value;
    private readonly ConcurrentDictionary<string, Task> inFlight = new();

    private static readonly LuaScript MoveDueRetries = LuaScript.Prepare("""
        local due = redis.call('ZRANGEBYSCORE', @retrySet, '-inf', @now, 'LIMIT', 0, @limit)
        for _, member in ipairs(due) do
          if redis.call('ZREM', @retrySet, member) == 1 then
            local m = cjson.decode(member)
            redis.call('XADD', @stream, 'MAXLEN', '~', @maxLength, '*', 'payload', m.payload, 'traceparent', m.traceparent, 'attempt', m.attempt, 'first_seen', m.first_seen)
          end
        end
        return #due
        """);

    private IDatabase Db => redis.GetDatabase();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await EnsureGroupAsync(stoppingToken);
        // Every series exists from the start (at 0), so dashboards and alerts see "none yet" rather than "no data".
        foreach (var counter in new[] { StreamMetrics.Consumed, StreamMetrics.Acked, StreamMetrics.Retried, StreamMetrics.DeadLettered, StreamMetrics.Claimed })
            counter.Add(0, StreamMetrics.StreamTag(stream));
        LogStarted(logger, stream, consumer, settings.Concurrency);
        var retries = MoveDueRetriesAsync(stoppingToken);
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
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, stream, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, CancellationToken.None);
            }
        }
        // Graceful shutdown: nothing new is read; what is in hand finishes and is acknowledged.
        LogDraining(logger, stream, inFlight.Count);
        await Task.WhenAll(inFlight.Values);
        await retries;
    }

    private async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // From the beginning: messages published before any worker existed are still consumed.
                await Db.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.Beginning, createStream: true);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, stream, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
            }
        }
    }

    private async Task<StreamEntry[]> ClaimAbandonedAsync(int count)
    {
        var result = await Db.StreamAutoClaimAsync(stream, group, consumer, (long)settings.ClaimIdleTime.TotalMilliseconds, "0-0", count);
        if (result.DeletedIds.Length > 0) await Db.StreamAcknowledgeAsync(stream, group, result.DeletedIds);
        var claimed = result.ClaimedEntries.Where(e => !e.IsNull).ToArray();
        if (claimed.Length > 0)
        {
            StreamMetrics.Claimed.Add(claimed.Length, StreamMetrics.StreamTag(stream));
            LogClaimed(logger, claimed.Length, stream);
        }
        return claimed;
    }

    private async Task ProcessAsync(StreamEntry entry)
    {
        var message = StreamMessage.From(stream, entry, clock.GetUtcNow());
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
            await handler.HandleAsync(message, CancellationToken.None);
            await Db.StreamAcknowledgeAsync(stream, group, message.Id);
            StreamMetrics.Acked.Add(1, StreamMetrics.StreamTag(stream));
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
        ], maxLength: Streams.MaxLength, useApproximateMaxLength: true);
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
                    maxLength = Streams.MaxLength,
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Stream} as {Consumer} with concurrency {Concurrency}")]
    private static partial void LogStarted(ILogger logger, string stream, string consumer, int concurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped reading {Stream}; finishing {InFlight} messages in hand")]
    private static partial void LogDraining(ILogger logger, string stream, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable while consuming {Stream}: {Reason}")]
    private static partial void LogRedisUnavailable(ILogger logger, string stream, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed {Count} abandoned messages of {Stream}")]
    private static partial void LogClaimed(ILogger logger, int count, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stream} message {MessageId} failed attempt {Attempt}; retrying in {DelayMs:F0} ms: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string stream, string messageId, int attempt, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Stream} message {MessageId} dead-lettered after attempt {Attempt}")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, string stream, string messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-letter hook failed for {Stream} message {MessageId}")]
    private static partial void LogDeadLetterHookFailed(ILogger logger, Exception exception, string stream, string messageId);
}
