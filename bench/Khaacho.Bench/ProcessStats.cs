using System.Globalization;

namespace Khaacho.Bench;

/// <summary>One process' (or group's) peak resident memory and CPU time, read from /proc; <see cref="Exited"/>: it died during the scenario.</summary>
public sealed record ResourceUse(string Process, double PeakRssMb, double CpuSeconds, bool PeakIsForThisScenario, bool Exited);

/// <summary>
/// Measures peak RSS (VmHWM) and CPU seconds of named processes, or groups of processes, over one scenario. The peak
/// is reset at the start by writing 5 to /proc/&lt;pid&gt;/clear_refs (needs to own the process); where that is
/// refused, VmHWM is the peak since the process started, and the result says so. A group's CPU is the sum over its
/// members (one started during the scenario counts whole); its peak RSS is its largest member's.
/// </summary>
internal sealed class ResourceWindow
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Func<IReadOnlyDictionary<string, int[]>> processes;
    private readonly Dictionary<int, double> cpuAtStart = [];
    private readonly bool reset = true;

    private ResourceWindow(Func<IReadOnlyDictionary<string, int[]>> processes)
    {
        this.processes = processes;
        foreach (var pid in processes().Values.SelectMany(p => p))
        {
            reset &= TryResetPeak(pid);
            cpuAtStart[pid] = CpuSeconds(pid);
        }
    }

    public static ResourceWindow Open(Func<IReadOnlyDictionary<string, int[]>> processes) => new(processes);

    public IReadOnlyList<ResourceUse> Close() =>
        [.. processes().Select(group =>
        {
            var alive = group.Value.Where(pid => Directory.Exists($"/proc/{pid}")).ToList();
            return new ResourceUse(group.Key,
                Math.Round(alive.Select(PeakRssKb).DefaultIfEmpty(0).Max() / 1024.0, 1),
                Math.Round(alive.Sum(pid => CpuSeconds(pid) - cpuAtStart.GetValueOrDefault(pid)), 2),
                reset, Exited: alive.Count == 0 && group.Value.Length > 0);
        })];

    public static double RssMb(int pid) => Math.Round(StatusKb(pid, "VmRSS:") / 1024.0, 1);

    private static bool TryResetPeak(int pid)
    {
        try { File.WriteAllText($"/proc/{pid}/clear_refs", "5"); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static long PeakRssKb(int pid) => StatusKb(pid, "VmHWM:");

    private static long StatusKb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    private static double CpuSeconds(int pid)
    {
        try
        {
            // Fields after the command (which may hold spaces) start at state; utime and stime are fields 14 and 15.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException) { return 0; }
    }
}
