using Btc.Cli.Kafka;

namespace Btc.Cli.Demo;

/// <summary>How a demo shows itself, in process or over Kafka alike: the view while it runs, the results at the end.</summary>
internal static class DemoReport
{
    /// <summary>The live view in a terminal, plain status lines otherwise; runs until <paramref name="stop"/>.</summary>
    public static Task ShowAsync(DemoOptions options, DemoStatistics statistics, string source, TextWriter output, CancellationToken stop) =>
        options.Live
            ? LiveView.RunAsync(statistics, source, stop)
            : StatusLines.RunAsync(statistics, output, options.StatusInterval, stop);

    /// <summary>The last status line and the files written, one line each.</summary>
    public static void WriteResults(TextWriter output, DemoStatistics statistics, string directory, IEnumerable<(string File, long Records)> files)
    {
        output.WriteLine(StatusLines.Line(statistics));
        output.WriteLine($"results in {Path.GetFullPath(directory)}:");
        foreach (var (file, records) in files)
        {
            string name = Path.GetFileName(file);
            string note = name == Topics.Price + ".jsonl" ? " (the input as it arrived)" : "";
            output.WriteLine($"  {name,-26} {records,10:N0} records{note}");
        }
    }
}
