using System.Diagnostics;
using System.Text;

namespace Khaacho.Bench;

/// <summary>
/// The whole system as <c>./khaacho up</c> runs it (local mode, Release, seeded demo data), in a data directory of
/// its own so a developer's <c>.khaacho/</c> is left alone. Every process it started carries that directory in its
/// environment (<c>Infrastructure__DataDirectory</c>), which is how the api and the workers are found.
/// </summary>
internal sealed class SystemUnderTest : IAsyncDisposable
{
    private readonly Process up;
    private readonly string dataDirectory;
    private readonly HashSet<int> paused = [];

    public Uri Api { get; }
    public string PostgresConnectionString { get; }
    public string RedisConnectionString { get; }
    /// <summary>
    /// The api, each worker (by resource name: worker-orders, ...) and the Aspire dashboard; for projects the real
    /// process, not its <c>dotnet run</c>.
    /// </summary>
    public IReadOnlyDictionary<string, int> Processes { get; }
    /// <summary>After <see cref="DisposeAsync"/>: processes of this run still alive (should be none).</summary>
    public IReadOnlyList<string> LeftBehind { get; private set; } = [];

    private SystemUnderTest(Process up, string dataDirectory, Uri api, IReadOnlyDictionary<string, int> processes, string postgres, string redis)
    {
        this.up = up;
        this.dataDirectory = dataDirectory;
        Api = api;
        Processes = processes;
        PostgresConnectionString = postgres;
        RedisConnectionString = redis;
    }

    public static async Task<SystemUnderTest> StartAsync(string root, string runDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(runDirectory, "data");
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true); // a fresh database every run
        var start = new ProcessStartInfo(Path.Combine(root, "khaacho"), ["up"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
        };
        start.Environment["KHAACHO_STATE_DIR"] = runDirectory;
        start.Environment["KHAACHO_SKIP_BUILD"] = "1";
        start.Environment["KHAACHO_CONFIGURATION"] = "Release";
        start.Environment["Infrastructure__Mode"] = Environment.GetEnvironmentVariable("Infrastructure__Mode") ?? "local";
        start.Environment["Infrastructure__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var up = Process.Start(start) ?? throw new InvalidOperationException("could not run ./khaacho up");
        var api = await WaitForApiLineAsync(up, cancellationToken);
        var processes = FindProcesses(dataDirectory);
        if (!processes.TryGetValue("api", out var apiPid))
        {
            await StopAsync(up);
            throw new InvalidOperationException("the api process was not found");
        }
        var settings = Environ(apiPid);
        // Load goes to the api's own listener, as a deployment's load balancer would send it, not through the port
        // Aspire's orchestrator proxies for local development (5080): that proxy is not part of the product.
        if (settings.GetValueOrDefault("ASPNETCORE_URLS")?.Split(';').FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) is { } direct)
        {
            api = new Uri(direct.Replace("//localhost:", "//127.0.0.1:", StringComparison.Ordinal));
        }
        return new SystemUnderTest(up, dataDirectory, api, processes,
            settings.GetValueOrDefault("ConnectionStrings__khaacho") ?? throw new InvalidOperationException("the api has no ConnectionStrings__khaacho"),
            settings.GetValueOrDefault("ConnectionStrings__redis") ?? throw new InvalidOperationException("the api has no ConnectionStrings__redis"));
    }

    private static async Task<Uri> WaitForApiLineAsync(Process up, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            while (await up.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                Console.Error.WriteLine($"[up] {line}");
                if (line.StartsWith("API: ", StringComparison.Ordinal))
                {
                    _ = up.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep draining; nothing else matters
                    return new Uri(line["API: ".Length..].Trim());
                }
            }
        }
        catch (OperationCanceledException)
        {
            await StopAsync(up);
            throw;
        }
        await up.WaitForExitAsync(CancellationToken.None);
        throw new InvalidOperationException($"./khaacho up exited ({up.ExitCode}) before the system was ready");
    }

    /// <summary>SIGSTOP every worker (intake measured alone); <see cref="ResumeWorkers"/> undoes it.</summary>
    public void PauseWorkers()
    {
        foreach (var (name, pid) in Processes.Where(p => p.Key.StartsWith("worker-", StringComparison.Ordinal)))
        {
            if (Signals.Send(pid, Signals.Stop)) paused.Add(pid);
            else Console.Error.WriteLine($"[bench] could not pause {name} ({pid})");
        }
    }

    public void ResumeWorkers()
    {
        foreach (var pid in paused) Signals.Send(pid, Signals.Cont);
        paused.Clear();
    }

    public bool IsAlive(string process) => Processes.TryGetValue(process, out var pid) && Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    /// <summary>
    /// Copies every resource's console output (DCP keeps it in its temporary folder, deleted at stop) to
    /// <c>&lt;run&gt;/logs</c>, so a process that died under load can be looked into afterwards.
    /// </summary>
    public void KeepResourceLogs(string destination)
    {
        foreach (var (_, command, executable) in RunProcesses(dataDirectory))
        {
            if (executable != "dcp") continue;
            var kubeconfig = command.SkipWhile(a => a != "--kubeconfig").Skip(1).FirstOrDefault();
            if (kubeconfig is null || Path.GetDirectoryName(kubeconfig) is not { } folder || !Directory.Exists(folder)) continue;
            Directory.CreateDirectory(destination);
            foreach (var file in Directory.GetFiles(folder).Where(f => f.EndsWith("_out", StringComparison.Ordinal) || f.EndsWith("_err", StringComparison.Ordinal) || f.EndsWith(".log", StringComparison.Ordinal)))
            {
                try { File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true); }
                catch (IOException) { }
            }
            return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ResumeWorkers(); // a stopped process cannot handle SIGTERM
        KeepResourceLogs(Path.Combine(Path.GetDirectoryName(dataDirectory)!, "logs"));
        await StopAsync(up);
        // DCP finishes its own clean-up a moment after the AppHost has gone.
        var left = FindProcesses(dataDirectory, everything: true);
        for (var i = 0; i < 60 && left.Count > 0; i++)
        {
            await Task.Delay(500);
            left = FindProcesses(dataDirectory, everything: true);
        }
        LeftBehind = [.. left.Select(p => $"{p.Key} ({p.Value})")];
        if (left.Count > 0) Console.Error.WriteLine($"[bench] still running after stop: {string.Join(", ", LeftBehind)}");
        up.Dispose();
    }

    /// <summary>SIGTERM is what Ctrl+C does for <c>./khaacho up</c>: it stops the AppHost, which stops every resource.</summary>
    private static async Task StopAsync(Process up)
    {
        if (up.HasExited) return;
        Signals.Send(up.Id, Signals.Term);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await up.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("[bench] ./khaacho up did not stop within 60 s; killing it");
            up.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// What <see cref="ResourceWindow"/> measures, found afresh each time (PostgreSQL starts a process per connection):
    /// the api, each worker and the dashboard, and every PostgreSQL process and redis-server of this run as groups.
    /// </summary>
    public IReadOnlyDictionary<string, int[]> ProcessGroups()
    {
        var groups = Processes.ToDictionary(p => p.Key, p => new[] { p.Value });
        var run = RunProcesses(dataDirectory).ToList();
        groups["postgres (all)"] = [.. run.Where(p => p.Executable.StartsWith("postgres", StringComparison.Ordinal)).Select(p => p.Pid)];
        groups["redis"] = [.. run.Where(p => p.Executable == "redis-server").Select(p => p.Pid)];
        groups["load generator (the harness)"] = [Environment.ProcessId];
        return groups;
    }

    /// <summary>The api, worker and dashboard processes (or, with <paramref name="everything"/>, any process) started for this data directory.</summary>
    private static Dictionary<string, int> FindProcesses(string dataDirectory, bool everything = false)
    {
        var found = new Dictionary<string, int>();
        foreach (var (pid, command, executable) in RunProcesses(dataDirectory))
        {
            if (executable == "Khaacho.Api") found["api"] = pid;
            else if (executable == "Aspire.Dashboard") found["dashboard"] = pid; // it ingests every span and log line
            else if (executable == "Khaacho.Worker" && !command.Contains("migrate"))
                found[$"worker-{Environ(pid).GetValueOrDefault("Worker__Type", "orders")}"] = pid;
            else if (everything) found[$"{executable}#{pid}"] = pid;
        }
        return found;
    }

    /// <summary>Live processes whose environment names this run's data directory, or that run in it: everything <c>./khaacho up</c> started for it.</summary>
    private static IEnumerable<(int Pid, string[] Command, string Executable)> RunProcesses(string dataDirectory)
    {
        var marker = Encoding.UTF8.GetBytes($"Infrastructure__DataDirectory={dataDirectory}\0");
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId) continue;
            byte[] environ;
            string[] command;
            try
            {
                environ = File.ReadAllBytes(Path.Combine(directory, "environ"));
                command = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            // PostgreSQL and redis-server get only their own environment from DCP, but they run in the data directory.
            if (command.Length == 0 || IsZombie(pid) || (environ.AsSpan().IndexOf(marker) < 0 && !WorksIn(directory, dataDirectory))) continue;
            // A PostgreSQL backend names itself "postgres: user database host"; its first word is enough.
            yield return (pid, command, Path.GetFileName(command[0].Split(' ')[0].TrimEnd(':')));
        }
    }

    private static bool WorksIn(string process, string dataDirectory)
    {
        try { return new DirectoryInfo(Path.Combine(process, "cwd")).LinkTarget?.StartsWith(dataDirectory, StringComparison.Ordinal) == true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (IOException) { return true; }
    }

    private static Dictionary<string, string> Environ(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0])
            .ToDictionary(g => g.Key, g => g.First()[1]);
}
