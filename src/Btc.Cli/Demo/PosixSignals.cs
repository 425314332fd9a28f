using System.Runtime.InteropServices;

namespace Btc.Cli.Demo;

/// <summary>Sends SIGINT (what Ctrl+C sends) to another process, so it can stop cleanly.</summary>
internal static partial class PosixSignals
{
    private const int SigInt = 2;

    /// <summary>True when the signal was sent; false on Windows or when the process is gone.</summary>
    public static bool Interrupt(int processId) => !OperatingSystem.IsWindows() && Kill(processId, SigInt) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
