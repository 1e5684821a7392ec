namespace Khaacho.Worker.Streaming;

/// <summary>Exponential backoff with jitter: base × 2^(attempt−1), capped, then ±20% so retries of a burst spread out.</summary>
public static class RetrySchedule
{
    public static TimeSpan DelayAfter(int failedAttempt, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, failedAttempt - 1));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        var jitter = 0.8 + random.NextDouble() * 0.4;
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}
