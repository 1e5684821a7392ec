namespace Khaacho.Worker.Streaming;

/// <summary>How a worker consumes its stream (section <c>Streams</c>; every value has a working default).</summary>
public sealed class StreamOptions
{
    public const string Section = "Streams";

    /// <summary>Messages read per XREADGROUP (COUNT).</summary>
    public int BatchSize { get; set; } = 64;
    /// <summary>Messages handled at once by one worker process.</summary>
    public int Concurrency { get; set; } = 16;
    /// <summary>Handler failures before a message goes to the dead-letter stream.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Deliveries of one entry (each one a consumer that died or stalled holding it) before it is dead-lettered as poison.</summary>
    public int MaxDeliveries { get; set; } = 5;
    /// <summary>First retry delay; doubles per attempt, with ±20% jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// A pending message idle this long belonged to a consumer that died. Live consumers refresh what they hold every
    /// third of this, so a slow handler (an LLM call with its retries) is never claimed from under itself.
    /// </summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Pause between reads when the stream is empty.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromMilliseconds(50);
    /// <summary>On shutdown, how long messages in hand may take to finish; the rest are handed back to the stream for another consumer.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>This consumer's name in its group; empty: <c>&lt;stream&gt;-&lt;host&gt;-&lt;pid&gt;</c>, unique per process.</summary>
    public string? ConsumerName { get; set; }
    /// <summary>How often acknowledged entries are trimmed from the stream (XTRIM MINID below every group's oldest unacknowledged entry).</summary>
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromSeconds(1);
}
