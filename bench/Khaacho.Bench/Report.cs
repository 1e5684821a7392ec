using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Khaacho.Bench;

/// <summary>The goals of issue 8 against this run's measurements, and the run written as JSON and Markdown.</summary>
internal static class Report
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IReadOnlyList<GoalResult> Goals(IntakeResult intake, PgbenchResult pgbench, IReadOnlyList<PipelineRun> fullSystem, StreamsResult streams, double apiIdleRssMb)
    {
        var tps = pgbench.TransactionsPerSecond;
        var pgbenchLimit = $"pgbench {tps:N0} tx/s";
        double? sustained = intake.MaxSustained?.AcceptedPerSecond;
        double? shareOfLimit = sustained is { } s && tps > 0 ? Math.Round(s / tps, 2) : null;
        double? p99At500 = intake.FixedRates.FirstOrDefault(r => r.OfferedPerSecond == 500)?.Latency.P99;
        var pgbenchP99 = pgbench.FixedRateLatency.P99;
        var at300 = fullSystem.FirstOrDefault(r => r.Intake.OfferedPerSecond == 300);
        var at100 = fullSystem.FirstOrDefault(r => r.Intake.OfferedPerSecond == 100);
        double? behindAt300 = at300?.UnsettledWhenLoadStopped;
        var apiPeak = intake.Resources.Concat(fullSystem.SelectMany(r => r.Resources)).Where(r => r.Process == "api").Select(r => r.PeakRssMb).DefaultIfEmpty(0).Max();

        return
        [
            new("Intake sustained (p99 < 100 ms, workers paused)", "≥ 2,000 accepted/s", sustained, "accepted/s",
                sustained is null ? null : sustained >= 2000, pgbenchLimit, tps, Ratio(sustained, tps)),
            new("Intake as a share of the PostgreSQL limit", "≥ 0.4", shareOfLimit, "× pgbench",
                shareOfLimit is null ? null : shareOfLimit >= 0.4, pgbenchLimit, tps, shareOfLimit),
            new("Intake p99 at 500/s", "≤ 25 ms", p99At500, "ms", p99At500 is null ? null : p99At500 <= 25,
                $"pgbench p99 at {pgbench.FixedRatePerSecond}/s: {pgbenchP99} ms", pgbenchP99, Ratio(p99At500, pgbenchP99)),
            new("Full system at 300/s: accepted→confirmed p95", "≤ 1,000 ms", at300?.AcceptedToConfirmed.P95, "ms",
                at300 is null ? null : at300.AcceptedToConfirmed.P95 <= 1000,
                at100 is null ? null : $"same pipeline at 100/s: p95 {at100.AcceptedToConfirmed.P95} ms", at100?.AcceptedToConfirmed.P95, Ratio(at300?.AcceptedToConfirmed.P95, at100?.AcceptedToConfirmed.P95)),
            // Keeping up: when the load stops, no more than one second's orders are still on their way, and all drain.
            new("Full system at 300/s: orders not yet settled when the load stopped", "≤ 300 (1 s of load), then drained", behindAt300, "orders",
                at300 is null ? null : at300.Drained && at300.UnsettledWhenLoadStopped <= 300,
                null, null, null),
            new("Stream consume + ack, no-op handler", "≥ 20,000 msg/s", streams.KhaachoPerSecond, "msg/s", streams.KhaachoPerSecond >= 20000,
                $"bare XREADGROUP/XACK loop {streams.BaselinePerSecond:N0} msg/s", streams.BaselinePerSecond, streams.RatioToBaseline),
            new("api peak RSS (scenarios 1 and 3)", "≤ 250 MB", apiPeak, "MB", apiPeak <= 250,
                $"api RSS when ready, before load: {apiIdleRssMb} MB", apiIdleRssMb, Ratio(apiPeak, apiIdleRssMb)),
        ];
    }

    private static double? Ratio(double? value, double? limit) =>
        value is { } v && limit is { } l && l > 0 ? Math.Round(v / l, 2) : null;

    public static string Markdown(BenchReport report, string plotPrefix, string intakePlot, string pipelinePlot)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line($"Run {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {(report.Quick ? "**quick mode** (harness check only: rates and durations too small to mean anything)" : "full run")}, {report.DurationSeconds:N0} s. {report.Machine}");
        Line();
        md.Append(GoalsTable(report));
        Line();
        Line("**1. Intake only** (POST /api/v1/orders, workers paused; latency from the scheduled send time)");
        Line();
        Line("| Offered | Accepted/s | p50 | p95 | p99 | max | Failures | Send lag p99 |");
        Line("|---|---|---|---|---|---|---|---|");
        foreach (var run in report.Intake.FixedRates) Line(IntakeRow(run, ""));
        foreach (var run in report.Intake.Steps) Line(IntakeRow(run, "step "));
        Line();
        Line(report.Intake.MaxSustained is { } max
            ? $"Highest sustained rate (p99 < 100 ms, failures ≤ 0.1%, ≥ 95% of offered accepted): **{max.OfferedPerSecond:N0}/s** offered, {max.AcceptedPerSecond:N0} accepted/s."
            : "No rate was sustained (p99 < 100 ms, failures ≤ 0.1%, ≥ 95% of offered accepted).");
        Line();
        var pg = report.Pgbench;
        Line($"**2. PostgreSQL limit** (pgbench, {pg.Clients} clients, intake's transaction: order + 2 items + history + idempotency key + outbox row): **{pg.TransactionsPerSecond:N0} tx/s**; at a fixed {pg.FixedRatePerSecond}/s p50 / p95 / p99 {pg.FixedRateLatency.P50} / {pg.FixedRateLatency.P95} / {pg.FixedRateLatency.P99} ms.");
        Line();
        Line("**3–4. Through the pipeline** (accepted→confirmed from the database: `confirmed_at - created_at`)");
        Line();
        Line("| Orders | Offered | Accepted/s | Intake p99 | Accepted→confirmed p50 / p95 / p99 / max | Statuses | Unsettled when the load stopped | Drained after | Backlog left |");
        Line("|---|---|---|---|---|---|---|---|---|");
        foreach (var run in report.FullSystem.Append(report.TextOrders.Run))
        {
            var a = run.AcceptedToConfirmed;
            var b = run.BacklogAtEnd;
            Line($"| {run.Kind} | {run.Intake.OfferedPerSecond}/s × {run.Intake.Seconds:0} s | {run.Intake.AcceptedPerSecond:N0} | {run.Intake.Latency.P99} ms | {a.P50} / {a.P95} / {a.P99} / {a.Max} ms | {string.Join(", ", run.Statuses.Select(s => $"{s.Key} {s.Value:N0}"))} | {run.UnsettledWhenLoadStopped:N0} | {(run.Drained ? $"{run.DrainSeconds} s" : $"**not drained** in {run.DrainSeconds} s")} | {b.StreamLag + b.StreamPending} stream, {b.Retries} retries, {b.UnpublishedOutbox} outbox, {b.DeadLetters} dead letters |");
        }
        Line();
        var text = report.TextOrders;
        Line($"Text orders: {text.Texts:N0} sent, {text.UnclearTexts:N0} of them texts the offline parser cannot read; the stub model (answers after 800 ms) got **{text.ModelCalls:N0} calls**; share of accepted text orders that skipped the model: **{text.SkippedModelShare:P0}**.");
        Line();
        var s = report.Streams;
        Line($"**5. Streams** (no-op handler, {s.Messages:N0} messages): Khaacho's consumer **{s.KhaachoPerSecond:N0} msg/s**, bare XREADGROUP/XACK loop {s.BaselinePerSecond:N0} msg/s, ratio {s.RatioToBaseline}.");
        Line();
        Line($"**6. Resources** (peak RSS = VmHWM reset at each scenario's start; CPU = user + system seconds over the scenario, load and drain; groups: CPU summed, peak of the largest process; api RSS when ready: {report.ApiIdleRssMb} MB)");
        Line();
        var windows = new List<(string Scenario, IReadOnlyList<ResourceUse> Use)> { ("1 intake", report.Intake.Resources) };
        windows.AddRange(report.FullSystem.Select(r => ($"3 items {r.Intake.OfferedPerSecond}/s", r.Resources)));
        var processes = windows.SelectMany(w => w.Use.Select(u => u.Process)).Distinct().ToList();
        Line($"| Process | {string.Join(" | ", windows.Select(w => $"{w.Scenario}: peak MB / CPU s"))} |");
        Line($"|---|{string.Concat(windows.Select(_ => "---|"))}");
        foreach (var process in processes)
        {
            Line($"| {process} | {string.Join(" | ", windows.Select(w => w.Use.FirstOrDefault(u => u.Process == process) is { } u ? u.Exited ? "**exited**" : $"{u.PeakRssMb:0} / {u.CpuSeconds:0.0}" : "—"))} |");
        }
        Line();
        Line($"![Intake latency by percentile]({plotPrefix}{intakePlot}) ![Accepted to confirmed by percentile]({plotPrefix}{pipelinePlot})");
        if (report.Notes.Count > 0)
        {
            Line();
            foreach (var note in report.Notes) Line($"- {note}");
        }
        return md.ToString();
    }

    /// <summary>Each goal with what this run measured and the limit measured in the same run.</summary>
    public static string GoalsTable(BenchReport report)
    {
        var md = new StringBuilder();
        md.Append("| Goal | Target | Measured | Met | Same-run limit | Ratio to limit |\n|---|---|---|---|---|---|\n");
        foreach (var g in report.Goals)
        {
            var measured = g.Measured is null ? "—" : $"{Number(g.Measured)} {g.Unit}";
            var met = report.Quick ? "n/a (quick)" : g.Met is null ? "not measured" : g.Met.Value ? "yes" : "**no**";
            md.Append(CultureInfo.InvariantCulture, $"| {g.Goal} | {g.Target} | {measured} | {met} | {g.Limit ?? "—"} | {Number(g.RatioToLimit)} |\n");
        }
        return md.ToString();
    }

    private static string IntakeRow(LoadRun run, string prefix)
    {
        var l = run.Latency;
        var failures = run.FailureCount == 0 ? "0" : string.Join(", ", run.Failures.Select(f => $"{f.Key}: {f.Value:N0}"));
        return $"| {prefix}{run.OfferedPerSecond:N0}/s | {run.AcceptedPerSecond:N0} | {l.P50} ms | {l.P95} ms | {l.P99} ms | {l.Max} ms | {failures} | {run.SendLag.P99} ms |";
    }

    private static string Number(double? value) => value switch
    {
        null => "—",
        >= 100 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.##", CultureInfo.InvariantCulture),
    };
}
