using System.Globalization;
using Khaacho.Core.Messaging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Khaacho.Worker.Streaming;

/// <summary>
/// Removes acknowledged entries from this worker's stream: XTRIM MINID to the oldest entry that some consumer group has
/// not yet acknowledged (its oldest pending entry, or the entry after the last one delivered). Nothing a group still
/// needs is ever trimmed, and it uses only Redis 7.0 commands (no XADD/XTRIM ACKED, which need 8.2). Memory stays
/// bounded by <see cref="StreamLimits.Capacity"/>, which the publisher enforces. Safe with several replicas.
/// </summary>
public sealed partial class StreamTrimmer(IStreamHandler handler, IConnectionMultiplexer redis, IOptions<StreamOptions> options, TimeProvider clock,
    ILogger<StreamTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TrimInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TrimAsync(handler.Stream);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Never fatal: an untrimmed stream only waits for the next tick, and a crashed trimmer would stop the worker.
                LogTrimFailed(logger, handler.Stream, ex.Message);
            }
        }
    }

    /// <returns>How many entries were removed.</returns>
    public async Task<long> TrimAsync(string stream)
    {
        var db = redis.GetDatabase();
        if (await OldestNeededAsync(db, stream) is not { } oldest) return 0;
        // MINID drops entries with a lower id; "~" lets Redis stop at a node boundary, so it may keep more, never less.
        return (long)await db.ExecuteAsync("XTRIM", stream, "MINID", "~", oldest);
    }

    /// <summary>The lowest id some group still needs; null when the stream has no group (nobody has said what it needs yet).</summary>
    public static async Task<string?> OldestNeededAsync(IDatabase db, string stream)
    {
        if (!await db.KeyExistsAsync(stream)) return null;
        var groups = await db.StreamGroupInfoAsync(stream);
        if (groups.Length == 0) return null;
        StreamId? oldest = null;
        foreach (var group in groups)
        {
            // XINFO and XPENDING are two reads: the pending entries may be acknowledged in between (then nothing is pending).
            var lowestPending = group.PendingMessageCount > 0 ? (await db.StreamPendingAsync(stream, group.Name)).LowestPendingMessageId : RedisValue.Null;
            var needed = lowestPending.IsNullOrEmpty
                ? StreamId.Parse(group.LastDeliveredId ?? "0-0").Next()
                : StreamId.Parse(lowestPending!);
            if (oldest is null || needed < oldest) oldest = needed;
        }
        return oldest!.Value.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trimming {Stream} failed; trying again on the next tick: {Reason}")]
    private static partial void LogTrimFailed(ILogger logger, string stream, string reason);
}

/// <summary>A stream entry id, <c>milliseconds-sequence</c>, compared as Redis compares them.</summary>
public readonly record struct StreamId(ulong Milliseconds, ulong Sequence) : IComparable<StreamId>
{
    public static StreamId Parse(string id)
    {
        var dash = id.IndexOf('-');
        return dash < 0 ? new StreamId(ulong.Parse(id, CultureInfo.InvariantCulture), 0)
            : new StreamId(ulong.Parse(id[..dash], CultureInfo.InvariantCulture), ulong.Parse(id[(dash + 1)..], CultureInfo.InvariantCulture));
    }

    public StreamId Next() => Sequence == ulong.MaxValue ? new StreamId(Milliseconds + 1, 0) : this with { Sequence = Sequence + 1 };

    public int CompareTo(StreamId other) => (Milliseconds, Sequence).CompareTo((other.Milliseconds, other.Sequence));
    public static bool operator <(StreamId a, StreamId b) => a.CompareTo(b) < 0;
    public static bool operator >(StreamId a, StreamId b) => a.CompareTo(b) > 0;
    public override string ToString() => $"{Milliseconds}-{Sequence}";
}
