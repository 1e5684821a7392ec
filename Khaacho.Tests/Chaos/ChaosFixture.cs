using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Khaacho.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Tests.Chaos;

/// <summary>
/// The whole system with a model provider (the stub) and the WhatsApp webhook (the stub), a small stream capacity and
/// test-speed claim times, stocked and credited so that only faults make orders fail.
/// </summary>
public sealed class ChaosFixture : AiAppFixture
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromMinutes(2);

    public ChaosSettings Settings { get; } = ChaosSettings.FromEnvironment();

    protected override IEnumerable<string> Arguments =>
    [
        .. base.Arguments,
        $"--Streams:Capacity={Settings.StreamCapacity}",
        "--RateLimits:PerUserPermits=1000000",
        // Abandoned messages claimed at test speed, each still longer than its handler may legitimately take
        // (the AI chain's total timeout is 45 s; the notifications client's is 30 s).
        "--Workers:ai:Streams:ClaimIdleTime=00:01:00",
        "--Workers:notifications:Streams:ClaimIdleTime=00:00:40",
        // Work Redis lost is looked for at test speed: 30 s is still longer than a step takes here, model calls included.
        "--Workers:orders:Sweeper:Interval=00:00:05",
        "--Workers:orders:Sweeper:StalledAfter=00:00:30",
        "--Workers:orders:Sweeper:NotificationStalledAfter=00:00:30",
        .. Settings.ExtraAppHostArguments,
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Only a fault may make an order fail: no one runs out of credit or stock in a run.
        await this.ExecuteAsync("""
            UPDATE retailers r SET credit_limit = 900000000000,
                available_credit = 900000000000 - r.outstanding - r.reserved;
            UPDATE vendor_products SET stock = reserved + 1000000;
            """);
        Model.Answer = OrderMix.ModelAnswer;
        // Third parties take time to answer, so a worker killed mid-flight is killed with calls in progress.
        Model.Default = new StubReply(Delay: TimeSpan.FromSeconds(1.5));
        WhatsApp.Latency = TimeSpan.FromMilliseconds(250);
    }

    /// <summary>Redis's data folder (its append-only file), which the data-loss fault deletes.</summary>
    public string RedisDataDirectory =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ExecutableResource>().Single(r => r.Name == "redis").WorkingDirectory;

    public Task StopAsync(string resource) => CommandAsync(resource, KnownResourceCommands.StopCommand);

    /// <summary>Starts a resource that stopped or was killed and waits until it is healthy again.</summary>
    public async Task StartAsync(string resource)
    {
        await CommandAsync(resource, KnownResourceCommands.StartCommand);
        using var timeout = new CancellationTokenSource(RecoveryTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    public async Task WaitUntilExitedAsync(string resource)
    {
        using var timeout = new CancellationTokenSource(RecoveryTimeout);
        await App.ResourceNotifications.WaitForResourceAsync(resource, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
    }

    public async Task WaitUntilHealthyAsync(IEnumerable<string> resources)
    {
        using var timeout = new CancellationTokenSource(RecoveryTimeout);
        foreach (var resource in resources) await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    private async Task CommandAsync(string resource, string command)
    {
        using var timeout = new CancellationTokenSource(RecoveryTimeout);
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command, timeout.Token);
        if (!result.Success) throw new InvalidOperationException($"{command} {resource}: {result.Message}");
    }
}

[CollectionDefinition(Name)]
public sealed class ChaosCollection : ICollectionFixture<ChaosFixture>
{
    public const string Name = "Whole app under faults";
}
