using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Btc.Bench;

/// <summary>
/// Scale: <c>./btc demo --source synthetic --symbols 2000</c> (2,000 symbols × 10 Hz) in one process for
/// the given time, with its resident memory sampled every second and its status lines read for the
/// sustained rate and the watermark's lag behind the clock at the start and the end.
/// </summary>
internal static partial class ScaleBenchmark
{
    public static void Run(ResultTable table, TimeSpan duration)
    {
        string root = PipelineBenchmark.RepositoryRoot();
        string output = Directory.CreateTempSubdirectory("btc-bench-scale-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path.Combine(root, "btc")) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
            foreach (string arg in (string[])["demo", "--source", "synthetic", "--symbols", "2000", "--duration", $"{(long)duration.TotalSeconds}s", "--plain", "--output-dir", output])
            {
                start.ArgumentList.Add(arg);
            }

            using Process demo = Process.Start(start)!;
            var lines = new List<string>();
            demo.OutputDataReceived += (_, e) => { if (e.Data is { } line) { lock (lines) { lines.Add(line); } } };
            demo.ErrorDataReceived += (_, _) => { };
            demo.BeginOutputReadLine();
            demo.BeginErrorReadLine();
            long maxRss = 0;
            while (!demo.WaitForExit(1000))
            {
                // The wrapper script execs the tool, so this is the tool's own memory.
                maxRss = Math.Max(maxRss, ResidentBytes(demo.Id));
            }

            demo.WaitForExit();
            List<(double Seconds, long Prices, double Lag)> status = [.. lines.Select(l => StatusLine().Match(l)).Where(m => m.Success)
                .Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60 + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                    long.Parse(m.Groups[3].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                    double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))];
            string what = $"2,000 symbols × 10 Hz for {duration.TotalMinutes:F0} min, one process, exit code {demo.ExitCode}";
            if (status.Count < 3)
            {
                table.Add("scale", "btc demo --source synthetic --symbols 2000", "no status", what);
                return;
            }

            var (_, prices, _) = status[^2];
            table.Add("scale", "prices per second, sustained", $"{prices / status[^2].Seconds,14:N0} /s", what + $"; target 20,000/s; {prices:N0} prices");
            table.Add("scale", "watermark lag: first / last status line", $"{status[0].Lag:F1} s / {status[^2].Lag:F1} s", "no growing lag: the allowed lateness (10 s) plus the grid");
            table.Add("scale", "resident memory, peak", $"{maxRss / (1024.0 * 1024):N0} MiB", "target ≤ 1,024 MiB; one hour of window per symbol, sampled every second");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static long ResidentBytes(int processId)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [GeneratedRegex(@"^demo (\d+):(\d+) \| prices ([\d,]+) .* watermark lag ([\d.]+) s$")]
    private static partial Regex StatusLine();
}
