using System.Globalization;

namespace Khaacho.Tests.Chaos;

/// <summary>
/// How a chaos run is shaped, from the environment <c>./khaacho chaos</c> sets: <c>KHAACHO_CHAOS_PLAN</c> (quick | full),
/// <c>KHAACHO_CHAOS_RATE</c> (orders/s, default 20), <c>KHAACHO_CHAOS_SETTLE_SECONDS</c> (how long none of a fault's orders
/// may move on before those still in the pipeline count as stuck; default 120, quick 60), <c>KHAACHO_CHAOS_CAPACITY</c> (the streams' capacity, default
/// 500), <c>KHAACHO_CHAOS_FAULTS</c> (comma-separated names: only these) and <c>KHAACHO_CHAOS_APPHOST_ARGS</c> (more
/// AppHost arguments, space-separated, e.g. a sweeper's interval at test speed).
/// </summary>
public sealed record ChaosSettings(bool Full, int Rate, TimeSpan Settle, int StreamCapacity, IReadOnlyList<string> Only, IReadOnlyList<string> ExtraAppHostArguments)
{
    public static ChaosSettings FromEnvironment() => new(
        Full: Environment.GetEnvironmentVariable("KHAACHO_CHAOS_PLAN") == "full",
        Rate: Number("KHAACHO_CHAOS_RATE", 20),
        Settle: TimeSpan.FromSeconds(Number("KHAACHO_CHAOS_SETTLE_SECONDS", Environment.GetEnvironmentVariable("KHAACHO_CHAOS_PLAN") == "full" ? 120 : 60)),
        StreamCapacity: Number("KHAACHO_CHAOS_CAPACITY", 500),
        Only: Words("KHAACHO_CHAOS_FAULTS", ','),
        ExtraAppHostArguments: Words("KHAACHO_CHAOS_APPHOST_ARGS", ' '));

    private static int Number(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    private static string[] Words(string name, char separator) =>
        (Environment.GetEnvironmentVariable(name) ?? "").Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
