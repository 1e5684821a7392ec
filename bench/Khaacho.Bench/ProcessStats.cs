using System.Globalization;

namespace Khaacho.Bench;

/// <summary>One process' peak resident memory and CPU time, read from /proc.</summary>
public sealed record ResourceUse(string Process, double PeakRssMb, double CpuSeconds, bool PeakIsForThisScenario);

/// <summary>
/// Measures peak RSS (VmHWM) and CPU seconds of named processes over one scenario. The peak is reset at the start by
/// writing 5 to /proc/&lt;pid&gt;/clear_refs (needs to own the process); where that is refused, VmHWM is the peak since
/// the process started, and the result says so.
/// </summary>
internal sealed class ResourceWindow
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<string, (int Pid, double CpuAtStart, bool Reset)> start = [];

    private ResourceWindow() { }

    public static ResourceWindow Open(IReadOnlyDictionary<string, int> processes)
    {
        var window = new ResourceWindow();
        foreach (var (name, pid) in processes)
        {
            var reset = TryResetPeak(pid);
            window.start[name] = (pid, CpuSeconds(pid), reset);
        }
        return window;
    }

    public IReadOnlyList<ResourceUse> Close() =>
        [.. start.Select(p => new ResourceUse(p.Key, Math.Round(PeakRssKb(p.Value.Pid) / 1024.0, 1),
            Math.Round(CpuSeconds(p.Value.Pid) - p.Value.CpuAtStart, 2), p.Value.Reset))];

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
