namespace Khaacho.Worker.Streaming;

/// <summary>How a worker consumes its stream (section <c>Streams</c>; every value has a working default).</summary>
public sealed class StreamOptions
{
    public const string Section = "Streams";

    /// <summary>Messages read per XREADGROUP (COUNT).</summary>
    public int BatchSize { get; set; } = 64;
    /// <summary>Messages handled at once by one worker process.</summary>
    public int Concurrency { get; set; } = 16;
    /// <summary>Deliveries before a message goes to the dead-letter stream.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>First retry delay; doubles per attempt, with ±20% jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>A pending message idle this long belonged to a consumer that died; longer than the slowest legitimate handler (an LLM call with its retries).</summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromMinutes(3);
    /// <summary>Pause between reads when the stream is empty.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromMilliseconds(50);
}
