using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Chaos;

/// <summary>
/// <c>./khaacho chaos</c>: faults one after another under open-loop load, each followed by recovery and a settle time,
/// then what became of every order. Excluded from <c>./khaacho test</c> by its trait.
/// </summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class ChaosSuite(ChaosFixture fixture)
{
    private static readonly string[] Resources = ["postgres", "redis", "api", .. KhaachoAppFixture.WorkerResources];

    [Fact]
    public async Task Under_every_fault_no_accepted_order_is_lost_stuck_or_duplicated_and_stock_and_credit_add_up()
    {
        var settings = fixture.Settings;
        var plan = FaultCatalogue.Plan(settings);
        var tokens = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", i));
            tokens.Add(retailer.DefaultRequestHeaders.Authorization!.Parameter!);
        }
        var load = new OrderLoad(fixture.App.GetEndpoint("api", "http"), tokens, await OrderMix.LoadAsync(fixture));
        var webhook = new WebhookLoad(fixture.App.GetEndpoint("api", "http"), [.. Enumerable.Range(0, 10).Select(i => ApiClient.DemoPhone("retailers", i))]);
        var accounting = new Accounting(fixture);
        var started = DateTimeOffset.UtcNow;
        var run = Stopwatch.StartNew();
        var cpu = new CpuMeter();
        ChaosReport.Progress($"{plan.Count} faults: {string.Join(", ", plan.Select(f => f.Name))}");

        var results = new List<FaultResult>();
        foreach (var fault in plan)
        {
            var result = await RunAsync(fault, load, webhook, accounting, settings);
            results.Add(result);
            ChaosReport.Progress($"{fault.Name}: sent {result.Sent}, accepted {result.Accepted}, confirmed {result.Confirmed}, stuck {result.Stuck}, lost {result.Lost}, duplicated {result.Duplicated.Total}{(result.Webhook.Delivered == 0 ? "" : $"; WhatsApp delivered {result.Webhook.Delivered}, lost {result.Webhook.Lost}, answered twice {result.Webhook.Duplicated}")}{(result.Error is null ? "" : $", error: {result.Error}")}");
        }

        await cpu.DisposeAsync();
        var report = ChaosReport.Write(settings, results, started, run.Elapsed, cpu.TotalSeconds);
        ChaosReport.Progress($"report: {report}");
        Assert.All(results, r => Assert.True(r.Held, $"{r.Fault}: lost {r.Lost}, stuck {r.Stuck}, duplicated {r.Duplicated}, unexplained {r.Unexplained}, stock {r.StockViolations}, credit {r.CreditViolations}, error {r.Error}"));
    }

    private async Task<FaultResult> RunAsync(Fault fault, OrderLoad load, WebhookLoad webhook, Accounting accounting, ChaosSettings settings)
    {
        string? error = null;
        try { await fixture.WaitUntilHealthyAsync(Resources); }
        catch (OperationCanceledException) { error = "the system was not healthy before the fault"; }
        ChaosReport.Progress($"{fault.Name}: {fault.What}");

        var loadStarted = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var sending = load.RunAsync(settings.Rate * fault.RateFactor, fault.Load);
        var delivering = fault.WebhookRate > 0 ? webhook.RunAsync(fault.WebhookRate, fault.Load) : Task.FromResult<IReadOnlyList<WebhookDelivery>>([]);
        try
        {
            await Task.Delay(fault.StrikeAfter);
            await fault.RunAsync(fixture, new FaultRun(loadStarted, settings.StreamCapacity));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever the fault's own code hit (a command refused, a query timing out under the load) is this fault's
            // result, reported in the table; the run goes on to account for the orders it sent.
            error ??= $"{ex.GetType().Name}: {ex.Message}";
            ChaosReport.Progress($"{fault.Name}: the fault's own step failed: {ex}");
        }
        var submissions = await sending;
        var deliveries = await delivering;
        var loadSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        await accounting.SettleAsync(submissions, settings.Settle);
        var webhookCounts = await accounting.CountWebhookAsync(deliveries, loadStarted, settings.Settle);
        return await accounting.CountAsync(fault, submissions, loadSeconds, clock.Elapsed.TotalSeconds, error) with { Webhook = webhookCounts };
    }
}
