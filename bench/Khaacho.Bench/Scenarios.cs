using System.Diagnostics;
using System.Text.Json;
using HdrHistogram;
using Khaacho.Core.Messaging;

namespace Khaacho.Bench;

/// <summary>The scenarios of issue 8 against one started system; latency histograms are kept for the plots.</summary>
internal sealed class Scenarios(BenchPlan plan, SystemUnderTest system, Pipeline pipeline, OpenLoopLoad load, DemoData demo, CancellationToken cancellationToken)
{
    public List<(string Label, HistogramBase Histogram)> IntakeHistograms { get; } = [];
    public List<(string Label, HistogramBase Histogram)> PipelineHistograms { get; } = [];
    /// <summary>The intake run during which the api process died, if it did (the rest of scenario 1 is then skipped).</summary>
    public string? ApiExitedDuring { get; private set; }

    /// <summary>
    /// Scenario 1: POST /orders with every worker paused (SIGSTOP), so only intake is measured: the fixed rates, with
    /// the search for the highest sustained rate right after the first one that is not sustained (or after all of
    /// them). The paused orders stream is then skipped (every consumer group moved to its end), so the workers never
    /// process these orders.
    /// </summary>
    public async Task<IntakeResult> IntakeAsync()
    {
        system.PauseWorkers();
        try
        {
            await load.OrdersAsync(200, plan.IntakeWarmup, demo.ItemsOrder, null, cancellationToken); // JIT and connection pools; not recorded
            var window = ResourceWindow.Open(system.ProcessGroups);
            var fixedRates = new List<LoadRun>();
            var steps = new List<LoadRun>();
            var searched = false;
            foreach (var rate in plan.IntakeRates)
            {
                if (ApiExitedDuring is not null) break;
                var run = await IntakeRunAsync(rate, plan.IntakeDuration, $"{rate}/s");
                fixedRates.Add(run);
                // Search right after the first rate that fails, before higher rates overload the api further.
                if (!IsSustained(run) && !searched)
                {
                    searched = true;
                    await SearchAsync(fixedRates.Where(IsSustained).Select(r => r.OfferedPerSecond).DefaultIfEmpty().Max(), rate, steps);
                }
            }
            if (!searched) await SearchAsync(fixedRates.Max(r => r.OfferedPerSecond), int.MaxValue, steps);
            var best = fixedRates.Concat(steps).Where(IsSustained).MaxBy(r => r.OfferedPerSecond);
            return new IntakeResult(fixedRates, steps, best, window.Close());
        }
        finally
        {
            try { await pipeline.SkipStreamAsync(Streams.Orders); }
            finally { system.ResumeWorkers(); }
        }
    }

    /// <summary>
    /// Steps of +25% from the highest sustained rate, below the first rate that was not, until one is not sustained;
    /// when no rate was sustained (a busy machine), halves the lowest until one is.
    /// </summary>
    private async Task SearchAsync(int highestSustained, int failed, List<LoadRun> steps)
    {
        var rate = highestSustained;
        for (var i = 0; i < plan.MaxSteps && ApiExitedDuring is null; i++)
        {
            if (highestSustained == 0 && i == 3) return;
            rate = highestSustained == 0
                ? Math.Max(1, (i == 0 ? plan.IntakeRates.Min() : rate) / 2)
                : Math.Max(rate + 50, (int)Math.Round(rate * 1.25 / 50) * 50);
            if (rate >= failed) return;
            var step = await IntakeRunAsync(rate, plan.StepDuration, $"step {rate}/s");
            steps.Add(step);
            if (IsSustained(step) == (highestSustained != 0)) continue;
            return;
        }
    }

    public static bool IsSustained(LoadRun run) =>
        run.Latency.P99 < BenchPlan.SustainedP99.TotalMilliseconds
        && run.FailureCount <= run.Sent / 1000
        && run.AcceptedPerSecond >= 0.95 * run.OfferedPerSecond;

    private async Task<LoadRun> IntakeRunAsync(int rate, TimeSpan duration, string label)
    {
        var (run, histogram) = await load.OrdersAsync(rate, duration, demo.ItemsOrder, null, cancellationToken);
        Console.Error.WriteLine($"[bench] intake {label}: {Json(run)}");
        IntakeHistograms.Add((label, histogram));
        if (!system.IsAlive("api"))
        {
            ApiExitedDuring ??= label;
            Console.Error.WriteLine($"[bench] the api process exited during intake {label}");
            return run;
        }
        // An overloaded api keeps working off what piled up after the client gave up; let it finish before the next rate.
        if (!IsSustained(run)) await Task.Delay(plan.Settle, cancellationToken);
        return run;
    }

    /// <summary>Scenario 3: items orders through the whole pipeline at each rate, then wait until everything drained.</summary>
    public async Task<IReadOnlyList<PipelineRun>> FullSystemAsync()
    {
        if (!plan.IsQuick)
        {
            // Warm the workers (JIT, pools, caches) so the first rate is not charged for it.
            var warmup = new List<Guid>();
            await load.OrdersAsync(20, TimeSpan.FromSeconds(5), demo.ItemsOrder, warmup, cancellationToken);
            await DrainAsync(warmup);
        }
        var runs = new List<PipelineRun>();
        foreach (var rate in plan.FullSystemRates)
        {
            var (run, histogram) = await PipelineRunAsync("items", rate, plan.FullSystemDuration, demo.ItemsOrder);
            PipelineHistograms.Add(($"items {rate}/s", histogram));
            runs.Add(run);
        }
        return runs;
    }

    /// <summary>
    /// Scenario 4: chat-text orders, a share of them texts the offline parser cannot read, with the model stubbed to
    /// answer after a fixed delay. The stub counts the calls.
    /// </summary>
    public async Task<TextOrdersResult> TextOrdersAsync(StubModel stub)
    {
        var callsBefore = stub.Calls;
        var (run, histogram) = await PipelineRunAsync("text", plan.TextRate, plan.TextDuration, n => demo.TextOrder(n, plan.UnclearEvery));
        PipelineHistograms.Add(($"text {plan.TextRate}/s", histogram));
        var calls = stub.Calls - callsBefore;
        var accepted = run.Intake.Accepted;
        var skipped = accepted == 0 ? 0 : Math.Round(Math.Clamp(1 - (double)calls / accepted, 0, 1), 3);
        return new TextOrdersResult(run, run.Intake.Sent, run.Intake.Sent / plan.UnclearEvery, calls, skipped);
    }

    private async Task<(PipelineRun Run, LongHistogram Histogram)> PipelineRunAsync(string kind, int rate, TimeSpan duration, Func<long, string> body)
    {
        var window = ResourceWindow.Open(system.ProcessGroups);
        var ids = new List<Guid>();
        var (intake, _) = await load.OrdersAsync(rate, duration, body, ids, cancellationToken);
        var unsettled = await pipeline.UnsettledAsync(ids);
        var (drained, drainSeconds, backlog) = await DrainAsync(ids);
        var resources = window.Close();
        var histogram = await pipeline.AcceptedToConfirmedAsync(ids);
        var run = new PipelineRun(kind, intake, Percentiles.Of(histogram), await pipeline.StatusCountsAsync(ids), unsettled, drained, drainSeconds, backlog, resources);
        Console.Error.WriteLine($"[bench] {kind} {rate}/s: {Json(run with { Resources = [] })}");
        return (run, histogram);
    }

    /// <summary>Waits until every one of these orders settled and nothing waits in any stream, retry set or the outbox.</summary>
    private async Task<(bool Drained, double Seconds, Backlog Backlog)> DrainAsync(IReadOnlyList<Guid> ids)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var backlog = await pipeline.BacklogAsync();
            if (backlog.IsEmpty && await pipeline.UnsettledAsync(ids) == 0) return (true, Math.Round(watch.Elapsed.TotalSeconds, 1), backlog);
            if (watch.Elapsed > plan.DrainTimeout) return (false, Math.Round(watch.Elapsed.TotalSeconds, 1), backlog);
            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>Scenario 5: the stream no-op benchmark (bench/Khaacho.Bench.Streams), with its own same-run baseline.</summary>
    public static async Task<StreamsResult> StreamsAsync(string root, int messages, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(root, "bench/Khaacho.Bench.Streams/bin/Release/net10.0/Khaacho.Bench.Streams.dll");
        var start = new ProcessStartInfo("dotnet", [dll, messages.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run Khaacho.Bench.Streams");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"Khaacho.Bench.Streams failed ({process.ExitCode}): {output}");
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var result = json.RootElement;
        return new StreamsResult(result.GetProperty("messages").GetInt64(), result.GetProperty("baseline_per_second").GetDouble(),
            result.GetProperty("khaacho_per_second").GetDouble(), result.GetProperty("ratio_to_baseline").GetDouble());
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Report.JsonOptions);
}
