namespace Khaacho.Tests.Chaos;

/// <summary>
/// One fault of the catalogue: what it does, how long load runs around it and when it strikes. <see cref="RunAsync"/>
/// injects the fault, holds it and recovers from it (restarts what it killed); load goes on throughout.
/// </summary>
public sealed record Fault(string Name, string What, Func<ChaosFixture, FaultRun, Task> RunAsync)
{
    public TimeSpan Load { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan StrikeAfter { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Multiplies the run's rate while this fault's load runs.</summary>
    public int RateFactor { get; init; } = 1;
    /// <summary>WhatsApp deliveries per second sent to the webhook beside the orders (0: none).</summary>
    public int WebhookRate { get; init; }
}

/// <summary>What a fault may need to know about its run: when its load started and the stream capacity in force.</summary>
public sealed record FaultRun(DateTimeOffset LoadStarted, int StreamCapacity);
