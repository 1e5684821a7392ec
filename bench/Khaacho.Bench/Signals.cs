using System.Runtime.InteropServices;

namespace Khaacho.Bench;

/// <summary>POSIX signals to processes this harness started: pause and resume workers, stop <c>./khaacho up</c>.</summary>
internal static partial class Signals
{
    public const int Term = 15;
    public const int Kill = 9;
    public const int Stop = 19;
    public const int Cont = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static bool Send(int pid, int signal) => KillNative(pid, signal) == 0;
}
