using System.Diagnostics;
using System.Globalization;

namespace Khaacho.Tests.Hosting;

/// <summary>The operating-system processes behind the app's resources, for faults a resource command cannot make (SIGKILL, SIGSTOP).</summary>
public static class ResourceProcesses
{
    /// <summary>The resource's own process: for a project the <c>dotnet run</c> wrapper, for an executable the server itself.</summary>
    public static int Pid(this KhaachoAppFixture fixture, string resource)
    {
        if (!fixture.App.ResourceNotifications.TryGetCurrentState(resource, out var state))
            throw new InvalidOperationException($"{resource} has no state yet");
        var pid = state.Snapshot.Properties.SingleOrDefault(p => p.Name == "executable.pid")?.Value
            ?? throw new InvalidOperationException($"{resource} has no process (state {state.Snapshot.State?.Text})");
        return int.Parse(pid.ToString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>SIGKILL of a project's app process itself, the child of its <c>dotnet run</c> wrapper.</summary>
    public static void KillAppProcess(this KhaachoAppFixture fixture, string resource)
    {
        var children = Children(fixture.Pid(resource));
        if (children.Count == 0) throw new InvalidOperationException($"{resource}'s wrapper has no child process");
        foreach (var pid in children) Send(pid, "KILL");
    }

    /// <summary>The process and everything it started (PostgreSQL's postmaster and its backends).</summary>
    public static IReadOnlyList<int> Tree(int pid) => [pid, .. Children(pid).SelectMany(Tree)];

    public static IReadOnlyList<int> Children(int pid)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-P", pid.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true })!;
        var output = pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
    }

    /// <summary>Sends a signal by name (KILL, STOP, CONT, INT); a process that already exited is not an error.</summary>
    public static void Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, pid.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
    }
}
