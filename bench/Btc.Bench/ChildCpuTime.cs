using System.Globalization;

namespace Btc.Bench;

/// <summary>
/// CPU time (user + system) of this process's finished children, from <c>/proc/self/stat</c>: the
/// difference around one child's run is that run's CPU. Wall time alone cannot tell a run that did
/// more work from one that got less of the machine, and this machine's speed changes within minutes.
/// </summary>
internal static class ChildCpuTime
{
    // /proc reports times in USER_HZ, which is 100 on every Linux architecture.
    private const double TicksPerSecond = 100;

    /// <summary>The children's CPU so far; null where <c>/proc</c> is missing (not Linux).</summary>
    public static TimeSpan? Now()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            // The command name (field 2) is in parentheses and may contain spaces: count from after it.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long childUser = long.Parse(fields[13], CultureInfo.InvariantCulture); // field 16, cutime
            long childSystem = long.Parse(fields[14], CultureInfo.InvariantCulture); // field 17, cstime
            return TimeSpan.FromSeconds((childUser + childSystem) / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
