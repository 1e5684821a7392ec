using System.Diagnostics;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Chaos;

/// <summary>Every fault the chaos suite injects, in the order a full run takes them: the ones that destroy state come last.</summary>
public static class FaultCatalogue
{
    public static readonly IReadOnlyList<Fault> All =
    [
        KillApp("worker-orders"),
        KillApp("worker-ai"),
        KillApp("worker-notifications"),
        KillApp("api"),
        new("kill-api-webhook", "SIGKILL of the api while WhatsApp deliveries arrive (some stored and not yet queued), then started again; Meta redelivers what was not answered", KillApiAsync)
            { WebhookRate = 10 },
        new("webhook-failing", "the WhatsApp webhook answers 500 for 15 s, then answers after 40 s (past the client's timeouts) for 25 s, then recovers", WebhookFailsThenSlowsAsync)
            { Load = TimeSpan.FromSeconds(50), StrikeAfter = TimeSpan.FromSeconds(5) },
        new("model-hanging", "the model provider accepts requests and never answers for 50 s", ModelHangsAsync)
            { Load = TimeSpan.FromSeconds(60), StrikeAfter = TimeSpan.FromSeconds(5) },
        new("postgres-restart", "PostgreSQL fast shutdown (SIGINT) mid-load, then started again", PostgresRestartsAsync),
        new("postgres-unreachable", "every PostgreSQL process frozen (SIGSTOP) for 30 s: connections open, nothing answers", PostgresUnreachableAsync)
            { Load = TimeSpan.FromSeconds(50) },
        new("redis-kill", "SIGKILL of redis-server, restarted with its append-only file", RedisKilledAsync),
        new("stream-past-capacity", "worker-orders stopped until the orders stream holds twice its capacity, then started", StreamPastCapacityAsync)
            { Load = TimeSpan.FromSeconds(40), StrikeAfter = TimeSpan.FromSeconds(2), RateFactor = 2 },
        new("redis-data-lost", "Redis stopped, its data folder deleted, started empty", RedisDataLostAsync),
    ];

    public static readonly IReadOnlyList<string> Quick = ["kill-worker-orders", "kill-api-webhook", "stream-past-capacity", "redis-data-lost"];

    public static IReadOnlyList<Fault> Plan(ChaosSettings settings)
    {
        var names = settings.Only.Count > 0 ? settings.Only : settings.Full ? All.Select(f => f.Name).ToList() : Quick;
        var unknown = names.Except(All.Select(f => f.Name)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown faults: {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(f => f.Name))}");
        return [.. All.Where(f => names.Contains(f.Name))];
    }

    private static Fault KillApp(string resource) => new($"kill-{resource}", $"SIGKILL of the {resource} process mid-flight, then started again", async (fixture, _) =>
    {
        fixture.KillAppProcess(resource);
        await fixture.WaitUntilExitedAsync(resource);
        await fixture.StartAsync(resource);
    });

    private static async Task KillApiAsync(ChaosFixture fixture, FaultRun run)
    {
        fixture.KillAppProcess("api");
        await fixture.WaitUntilExitedAsync("api");
        await fixture.StartAsync("api");
    }

    private static async Task WebhookFailsThenSlowsAsync(ChaosFixture fixture, FaultRun run)
    {
        fixture.WhatsApp.Behaviour = WebhookBehaviour.Fail;
        await Task.Delay(TimeSpan.FromSeconds(15));
        fixture.WhatsApp.Behaviour = WebhookBehaviour.Slow;
        await Task.Delay(TimeSpan.FromSeconds(25));
        fixture.WhatsApp.Behaviour = WebhookBehaviour.Answer;
    }

    private static async Task ModelHangsAsync(ChaosFixture fixture, FaultRun run)
    {
        var answering = fixture.Model.Default;
        fixture.Model.Default = answering with { Delay = TimeSpan.FromMinutes(10) };
        await Task.Delay(TimeSpan.FromSeconds(50));
        fixture.Model.Default = answering;
    }

    private static async Task PostgresRestartsAsync(ChaosFixture fixture, FaultRun run)
    {
        ResourceProcesses.Send(fixture.Pid("postgres"), "INT");
        await fixture.WaitUntilExitedAsync("postgres");
        await fixture.StartAsync("postgres");
    }

    private static async Task PostgresUnreachableAsync(ChaosFixture fixture, FaultRun run)
    {
        var processes = ResourceProcesses.Tree(fixture.Pid("postgres"));
        foreach (var pid in processes) ResourceProcesses.Send(pid, "STOP");
        try { await Task.Delay(TimeSpan.FromSeconds(30)); }
        finally { foreach (var pid in processes) ResourceProcesses.Send(pid, "CONT"); }
    }

    private static async Task RedisKilledAsync(ChaosFixture fixture, FaultRun run)
    {
        ResourceProcesses.Send(fixture.Pid("redis"), "KILL");
        await fixture.WaitUntilExitedAsync("redis");
        await fixture.StartAsync("redis");
    }

    private static async Task StreamPastCapacityAsync(ChaosFixture fixture, FaultRun run)
    {
        await fixture.StopAsync("worker-orders");
        await fixture.WaitUntilExitedAsync("worker-orders");
        // Entries waiting in the orders stream: items orders not yet validated and text orders parsed by the ai worker.
        var held = Stopwatch.StartNew();
        while (held.Elapsed < TimeSpan.FromSeconds(90) && await fixture.ScalarAsync<long>("""
                   SELECT count(*) FROM orders WHERE created_at >= @since AND (status = 'parsed' OR (status = 'received' AND source = 'items'))
                   """, ("since", run.LoadStarted)) < 2 * run.StreamCapacity)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        await fixture.StartAsync("worker-orders");
    }

    private static async Task RedisDataLostAsync(ChaosFixture fixture, FaultRun run)
    {
        await fixture.StopAsync("redis");
        await fixture.WaitUntilExitedAsync("redis");
        foreach (var entry in new DirectoryInfo(fixture.RedisDataDirectory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
            else entry.Delete();
        }
        await fixture.StartAsync("redis");
    }
}
