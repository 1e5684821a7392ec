using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Khaacho.Core.Messaging;
using StackExchange.Redis;

namespace Khaacho.Worker.Streaming;

/// <summary>
/// Samples the backlog of this worker's stream every few seconds (XINFO GROUPS, ZCARD, XLEN) for the pending, lag,
/// retry-set and dead-letter gauges, so a scrape never waits on Redis.
/// </summary>
public sealed class StreamBacklogMonitor(IStreamHandler handler, IConnectionMultiplexer redis, TimeProvider clock) : BackgroundService
{
    private static readonly ConcurrentDictionary<string, Backlog> Latest = new();

    private sealed record Backlog(long Pending, long Lag, long Retrying, long DeadLetters);

    static StreamBacklogMonitor()
    {
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.pending", () => Observe(b => b.Pending), description: "Messages delivered to a consumer and not yet acknowledged");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.lag", () => Observe(b => b.Lag), description: "Messages in the stream not yet delivered to the group");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.retry_set.size", () => Observe(b => b.Retrying), description: "Messages waiting for their next attempt");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.stream.dead_letters", () => Observe(b => b.DeadLetters), description: "Messages in the dead-letter stream");
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
                var group = (await db.StreamGroupInfoAsync(stream)).FirstOrDefault(g => g.Name == Streams.Group(stream));
                Latest[stream] = new Backlog(
                    group.PendingMessageCount,
                    group.Lag ?? 0,
                    await db.SortedSetLengthAsync(Streams.RetrySet(stream)),
                    await db.StreamLengthAsync(Streams.DeadLetters(stream)));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // The gauges keep their last values; the readiness check reports Redis down.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
