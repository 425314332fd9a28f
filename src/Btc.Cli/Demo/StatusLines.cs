using System.Globalization;

namespace Btc.Cli.Demo;

/// <summary>The demo's view when output is not a terminal: one plain status line every few seconds.</summary>
internal static class StatusLines
{
    public static async Task RunAsync(DemoStatistics statistics, TextWriter output, TimeSpan every, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, stop).ConfigureAwait(false);
                output.WriteLine(Line(statistics));
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended; the summary follows.
        }
    }

    public static string Line(DemoStatistics s)
    {
        double seconds = Math.Max(s.Elapsed.TotalSeconds, 0.001);
        string lag = s.WatermarkLag is { } l ? $"{l.TotalSeconds:F1} s" : "-";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"demo {s.Elapsed:mm\\:ss} | prices {s.Prices:N0} ({s.Prices / seconds:N0}/s) | accepted {s.Accepted:N0}, late {s.Late:N0}, duplicate {s.Duplicate:N0}, invalid {s.Invalid:N0} | moving {s.Moving:N0}, zscore {s.ZScores:N0}, higher {s.Higher:N0}, lower {s.Lower:N0}{(s.Loaded > 0 ? $", loaded {s.Loaded:N0}" : "")} | watermark lag {lag}");
    }
}
