using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Khaacho.Core.Messaging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Khaacho.Worker.Streaming;

/// <summary>
/// Samples the backlog of this worker's stream every few seconds (XINFO GROUPS, ZCARD, XLEN) for the pending, lag,
/// retry-set, dead-letter, length and capacity gauges, so a scrape never waits on Redis.
/// </summary>
public sealed class StreamBacklogMonitor(IStreamHandler handler, IConnectionMultiplexer redis, IOptions<StreamLimits> limits, TimeProvider clock) : BackgroundService
{
    private static readonly ConcurrentDictionary<string, Backlog> Latest = new();

    private sealed record Backlog(long Pending, long Lag, long Retrying, long DeadLetters, long Length, long Capacity);

    static StreamBacklogMonitor()
    {
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.pending", () => Observe(b => b.Pending), description: "Messages delivered to a consumer and not yet acknowledged");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.lag", () => Observe(b => b.Lag), description: "Messages in the stream not yet delivered to the group");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.retry_set.size", () => Observe(b => b.Retrying), description: "Messages waiting for their next attempt");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.dead_letters", () => Observe(b => b.DeadLetters), description: "Messages in the dead-letter stream");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.length", () => Observe(b => b.Length), description: "Entries in the stream, acknowledged ones not yet trimmed included");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.capacity", () => Observe(b => b.Capacity), description: "Entries the stream may hold before publishing waits in the outbox");
    }

    private static IEnumerable<Measurement<long>> Observe(Func<Backlog, long> value) =>
        Latest.Select(kv => new Measurement<long>(value(kv.Value), StreamMetrics.StreamTag(kv.Key)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = handler.Stream;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), clock);
        do
        {
            try
            {
                var db = redis.GetDatabase();
                var length = await db.StreamLengthAsync(stream);
                var group = length == 0 && !await db.KeyExistsAsync(stream)
                    ? default
                    : (await db.StreamGroupInfoAsync(stream)).FirstOrDefault(g => g.Name == Streams.Group(stream));
                Latest[stream] = new Backlog(
                    group.PendingMessageCount,
                    // Redis cannot say (nil) after entries were removed past the group's position: the stream's length bounds it.
                    group.Lag ?? length,
                    await db.SortedSetLengthAsync(Streams.RetrySet(stream)),
                    await db.StreamLengthAsync(Streams.DeadLetters(stream)),
                    length,
                    limits.Value.Capacity);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The gauges keep their last values; the readiness check reports Redis down.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
