using System.Globalization;

namespace Khaacho.Tests.Chaos;

/// <summary>
/// CPU seconds (user + system) of this test process and every process it started (DCP, the api, the workers,
/// PostgreSQL, Redis), sampled from /proc every two seconds: a process killed by a fault counts up to its last sample.
/// DCP (Aspire's orchestrator, parent of the resources) detaches from its starter and names it in <c>--monitor</c>.
/// </summary>
public sealed class CpuMeter : IAsyncDisposable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<(int Pid, long Start), double> seconds = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    public CpuMeter() => sampling = Task.Run(SampleAsync);

    public double TotalSeconds { get { lock (seconds) return Math.Round(seconds.Values.Sum(), 1); } }

    private async Task SampleAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Sample();
            try { await Task.Delay(TimeSpan.FromSeconds(2), stop.Token); }
            catch (OperationCanceledException) { return; }
        }
    }

    private void Sample()
    {
        var stats = new Dictionary<int, (int Parent, long Start, double Cpu)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // Fields after the command (which may hold spaces) in parentheses: state ppid ... utime(14) stime(15) ... starttime(22).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                stats[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture),
                    (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process exited while being read.
            }
        }
        var ours = new HashSet<int> { Environment.ProcessId };
        foreach (var (pid, stat) in stats)
        {
            if (stat.Parent == 1 && Monitors(pid) == Environment.ProcessId) ours.Add(pid);
        }
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, stat) in stats)
            {
                if (ours.Contains(stat.Parent) && ours.Add(pid)) grew = true;
            }
        }
        lock (seconds)
        {
            foreach (var pid in ours.Where(stats.ContainsKey)) seconds[(pid, stats[pid].Start)] = stats[pid].Cpu;
        }
    }

    private static int? Monitors(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var at = Array.IndexOf(arguments, "--monitor");
            return at >= 0 && at + 1 < arguments.Length && int.TryParse(arguments[at + 1], CultureInfo.InvariantCulture, out var monitored) ? monitored : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        Sample();
        stop.Dispose();
    }
}
