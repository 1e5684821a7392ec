using System.Globalization;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Chaos;

/// <summary>
/// Where a run's results go: a full run replaces <c>docs/chaos.md</c> (the table the README links) and adds
/// <c>docs/chaos/&lt;stamp&gt;.json</c>; a quick run (or one of some faults only) writes both to <c>.khaacho/chaos/</c>, which git ignores.
/// </summary>
public static class ChaosReport
{
    /// <summary><c>KHAACHO_CHAOS_DIR</c> (set by <c>./khaacho chaos</c>), else <c>.khaacho/chaos</c>.</summary>
    public static string StateDirectory => Environment.GetEnvironmentVariable("KHAACHO_CHAOS_DIR") is { Length: > 0 } directory
        ? directory : Path.Combine(RepositoryRoot.Path, ".khaacho", "chaos");

    public static string ProgressLog => Path.Combine(StateDirectory, "progress.log");

    public static void Progress(string line)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ProgressLog)!);
        File.AppendAllText(ProgressLog, $"[chaos {DateTime.UtcNow:HH:mm:ss}] {line}\n");
    }

    /// <returns>The Markdown file written.</returns>
    public static string Write(ChaosSettings settings, IReadOnlyList<FaultResult> results, DateTimeOffset started, TimeSpan elapsed, double cpuSeconds)
    {
        var stamp = started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var (markdown, json) = settings.Full && settings.Only.Count == 0
            ? (Path.Combine(RepositoryRoot.Path, "docs", "chaos.md"), Path.Combine(RepositoryRoot.Path, "docs", "chaos", $"{stamp}.json"))
            : (Path.Combine(StateDirectory, $"quick-{stamp}.md"), Path.Combine(StateDirectory, $"quick-{stamp}.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        File.WriteAllText(json, ChaosTable.ToJson(new { started, elapsed_seconds = Math.Round(elapsed.TotalSeconds), cpu_seconds = cpuSeconds, settings, results }));
        File.WriteAllText(markdown, $"""
            # Chaos run {started:yyyy-MM-dd HH:mm} UTC

            `./khaacho chaos{(settings.Full ? "" : " --quick")}` ({Math.Round(elapsed.TotalMinutes, 1)} min of faults, {cpuSeconds:0} CPU seconds for the system and the harness): {settings.Rate} orders/s open loop (a fault may multiply it),
            seven in ten items orders, two in ten chat texts the offline parser reads, one in ten a text only the model can place,
            from every demo retailer, each with an Idempotency-Key and retried with it on a timeout, a connection error or
            429/502/503/504. Streams' capacity {settings.StreamCapacity}; an order still in the pipeline when none of its fault's orders has
            moved on for {settings.Settle.TotalSeconds:0} s (or {4 * settings.Settle.TotalSeconds:0} s after its load ended) is stuck. Numbers: [{Path.GetFileName(json)}]({Link(markdown, json)}); how to read them: [RUNBOOK.md, "Chaos suite"]({Link(markdown, Path.Combine(RepositoryRoot.Path, "docs", "RUNBOOK.md"))}#chaos-suite).

            {ChaosTable.Markdown(results)}
            {ChaosTable.Describe(results)}
            """);
        return markdown;
    }

    private static string Link(string from, string to) => Path.GetRelativePath(Path.GetDirectoryName(from)!, to);
}
