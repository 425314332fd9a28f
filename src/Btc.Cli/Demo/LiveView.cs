using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Btc.Cli.Demo;

/// <summary>
/// The demo's live terminal view (Spectre.Console), refreshed four times a second: per symbol the
/// price, the z-scores coloured by magnitude and the latest higher/lower windows; per stage the counts,
/// records/s and the watermark's lag behind the clock.
/// </summary>
internal static class LiveView
{
    private const int MaxSymbols = 15;

    public static async Task RunAsync(DemoStatistics statistics, string source, CancellationToken stop)
    {
        await AnsiConsole.Live(Render(statistics, source)).AutoClear(false).StartAsync(async context =>
        {
            while (!stop.IsCancellationRequested)
            {
                context.UpdateTarget(Render(statistics, source));
                try
                {
                    await Task.Delay(250, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            context.UpdateTarget(Render(statistics, source));
        }).ConfigureAwait(false);
    }

    private static IRenderable Render(DemoStatistics s, string source)
    {
        IReadOnlyList<DemoStatistics.SymbolRow> rows = s.Symbols(MaxSymbols);
        var symbols = new Table().Border(TableBorder.Rounded).Title($"[bold]btc demo[/] {Markup.Escape(source)} · z-scores per window");
        // Symbols and numbers never wrap: a narrow terminal trims the table instead of splitting them.
        symbols.AddColumn(new TableColumn("symbol").NoWrap()).AddColumn(new TableColumn("price").RightAligned().NoWrap());
        string[] windows = rows.FirstOrDefault(r => r.Windows is not null)?.Windows is { } set ? [.. Enumerable.Range(0, set.Count).Select(set.Name)] : ["30s", "1m", "5m", "15m", "30m", "1h"];
        foreach (string window in windows)
        {
            symbols.AddColumn(new TableColumn(window).RightAligned().NoWrap());
        }

        symbols.AddColumn(new TableColumn("higher s").RightAligned().NoWrap()).AddColumn(new TableColumn("lower s").RightAligned().NoWrap());
        // One space between columns, not two: ten columns then fit an 80-column terminal.
        foreach (TableColumn column in symbols.Columns)
        {
            column.Padding(1, 0, 0, 0);
        }

        foreach (DemoStatistics.SymbolRow row in rows)
        {
            var cells = new List<string> { Markup.Escape(row.Symbol), row.Price.ToString("0.########", CultureInfo.InvariantCulture) };
            cells.AddRange(windows.Select((_, i) => i < row.ZScores.Length ? ZScore(row.ZScores[i]) : "[grey]-[/]"));
            cells.Add(Seconds(row.Higher));
            cells.Add(Seconds(row.Lower));
            symbols.AddRow([.. cells]);
        }

        if (s.SymbolCount > rows.Count)
        {
            symbols.Caption($"and {s.SymbolCount - rows.Count:N0} more symbols");
        }

        double seconds = Math.Max(s.Elapsed.TotalSeconds, 0.001);
        var stages = new Table().Border(TableBorder.Rounded).Title("stages")
            .AddColumn("stage").AddColumn(new TableColumn("records").RightAligned()).AddColumn(new TableColumn("late").RightAligned())
            .AddColumn(new TableColumn("invalid").RightAligned()).AddColumn(new TableColumn("records/s").RightAligned());
        stages.AddRow("extract", $"{s.Prices:N0}", "", "", $"{s.Prices / seconds:N0}");
        stages.AddRow("accept", $"{s.Accepted:N0}", $"{s.Late:N0}", $"{s.Invalid:N0} (+{s.Duplicate:N0} dup.)", $"{s.Accepted / seconds:N0}");
        stages.AddRow("moving", $"{s.Moving:N0}", "", "", $"{s.Moving / seconds:N0}");
        stages.AddRow("zscore", $"{s.ZScores:N0}", "", "", $"{s.ZScores / seconds:N0}");
        stages.AddRow("bonus", $"{s.Higher:N0} / {s.Lower:N0}", "", "", $"{s.Higher / seconds:N0}");
        if (s.Loaded > 0)
        {
            stages.AddRow("load", $"{s.Loaded:N0}", "", "", $"{s.Loaded / seconds:N0}");
        }

        string lag = s.WatermarkLag is { } l ? $"{l.TotalSeconds:F1} s" : "-";
        stages.Caption($"elapsed {s.Elapsed:mm\\:ss} · watermark lag {lag} (the allowed lateness is the floor) · Ctrl+C ends");
        return new Rows(symbols, stages);
    }

    // Colour by magnitude: within one standard deviation green, within two yellow, beyond red.
    private static string ZScore(double z)
    {
        string colour = Math.Abs(z) < 1 ? "green" : Math.Abs(z) < 2 ? "yellow" : "red";
        return $"[{colour}]{z.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)}[/]";
    }

    private static string Seconds(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "[grey]-[/]";
}
