using System.Runtime.InteropServices;

namespace Btc.Cli.Demo;

/// <summary>Sends SIGTERM or SIGINT to another process, so it can stop cleanly (flush, commit).</summary>
internal static partial class PosixSignals
{
    public const int Interrupt = 2;
    public const int Terminate = 15;

    /// <summary>True when the signal was sent; false on Windows or when the process is gone.</summary>
    public static bool Send(int processId, int signal) => !OperatingSystem.IsWindows() && Kill(processId, signal) == 0;

    /// <summary>
    /// Whether this process ignores SIGINT, as everything started in the background by a
    /// non-interactive shell does; its children inherit that, so only SIGTERM can stop them cleanly.
    /// </summary>
    public static bool InterruptIgnored()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        string? mask = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return mask is not null && (Convert.ToUInt64(mask["SigIgn:".Length..].Trim(), 16) & (1UL << (Interrupt - 1))) != 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
