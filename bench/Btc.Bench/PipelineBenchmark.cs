using System.Diagnostics;
using System.Globalization;
using Btc.Rx.Parsing;
using Btc.Rx.Records;

namespace Btc.Bench;

/// <summary>
/// <c>./btc pipeline</c> on a single-symbol file, start-up included, beside a plain parse-and-rewrite of
/// the same lines (the floor serialization sets) and a pandas script that computes only the moving
/// statistics and z-scores.
/// </summary>
internal static class PipelineBenchmark
{
    public static void Run(ResultTable table, int records)
    {
        string input = SampleData.WriteFile(records);
        string root = RepositoryRoot();
        string output = Directory.CreateTempSubdirectory("btc-bench-out-").FullName;
        try
        {
            RunProcess(Path.Combine(root, "btc"), ["--help"], root); // builds the tool once, outside the timing
            // Native code or the portable build, as ./btc chose (the first word of what it wrote down).
            string build = File.ReadAllText(Path.Combine(root, ".btc-build", "kind")).Split(' ', ':')[0];
            // Each run starts from the same state: a fresh folder, the last run's gigabyte deleted (kept,
            // its dirty pages make the kernel throttle the next run's writes).
            (TimeSpan Elapsed, TimeSpan? Cpu) best = Enumerable.Range(0, 3).Select(run =>
            {
                string folder = Path.Combine(output, $"run{run}");
                TimeSpan? cpuBefore = ChildCpuTime.Now();
                TimeSpan elapsed = RunProcess(Path.Combine(root, "btc"), ["pipeline", "--input", input, "--output-dir", folder], root);
                TimeSpan? cpu = ChildCpuTime.Now() - cpuBefore;
                Directory.Delete(folder, recursive: true);
                return (elapsed, cpu);
            }).MinBy(run => run.elapsed);
            // The CPU beside the time shows whether a slow figure did more work or got less of the machine.
            string cpuUsed = best.Cpu is { } cpuTime
                ? string.Create(CultureInfo.InvariantCulture, $"; CPU {cpuTime.TotalSeconds:F2} s ({cpuTime / best.Elapsed:F2} cores)")
                : "";
            table.AddRate("btc pipeline", "./btc pipeline, start-up included (best of 3)", records, best.Elapsed, $"{build} build; moving + zscore + higher + lower + rejected" + cpuUsed);
            table.AddRate("btc pipeline", "parse-and-rewrite of the same lines", records, ParseAndRewrite(input, Path.Combine(output, "rewrite.jsonl")), "in-process, one thread");
            string script = Path.Combine(root, "bench", "pandas_zscore.py");
            TimeSpan? pandas = TryRunPandas(script, input, output, root);
            if (pandas is { } elapsed)
            {
                table.AddRate("btc pipeline", "pandas: moving statistics + z-scores only", records, elapsed, "python3 bench/pandas_zscore.py");
            }
            else
            {
                table.Add("btc pipeline", "pandas: moving statistics + z-scores only", "not run", "pandas is not installed (apt-get install python3-pandas)");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static TimeSpan ParseAndRewrite(string input, string output)
    {
        var stopwatch = Stopwatch.StartNew();
        var parser = new PriceRecordParser();
        using (var rewrite = new JsonLinesOut(output))
        {
            foreach (string line in File.ReadLines(input))
            {
                if (parser.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out PriceTick tick, out _))
                {
                    rewrite.WritePrice(tick);
                }
            }
        }

        return stopwatch.Elapsed;
    }

    private static TimeSpan? TryRunPandas(string script, string input, string output, string root)
    {
        foreach (string python in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                if (Start(python, ["-c", "import pandas"], root).ExitCode == 0)
                {
                    return RunProcess(python, [script, input, Path.Combine(output, "pandas.csv")], root);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No such interpreter: try the next.
            }
        }

        return null;
    }

    private static TimeSpan RunProcess(string file, string[] args, string workingDirectory)
    {
        var (elapsed, exitCode, output) = Start(file, args, workingDirectory);
        return exitCode == 0 ? elapsed : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {output}");
    }

    private static (TimeSpan Elapsed, int ExitCode, string Output) Start(string file, string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var stopwatch = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (stopwatch.Elapsed, process.ExitCode, stderr.Result + stdout.Result);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "btc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from the repository (btc.sln not found).");
    }
}
