using System.CommandLine;
using System.Globalization;
using Btc.Cli.Sources;

namespace Btc.Cli.Commands;

/// <summary>The live-source options <c>btc extract</c> and <c>btc demo</c> share, bound into <see cref="SourceOptions"/>.</summary>
internal sealed class SourceCommandOptions
{
    public SourceCommandOptions(string defaultKind, params string[] kinds)
    {
        Source = new Option<string>("--source")
        {
            Description = "Where prices come from: " + string.Join(", ", kinds) + ".",
            DefaultValueFactory = _ => defaultKind,
        };
        Source.AcceptOnlyFromAmong(kinds);
    }

    public Option<string> Source { get; }

    public Option<string> Symbols { get; } = new("--symbols")
    {
        HelpName = "SYMBOLS",
        Description = "Symbols as Binance lists them (BTCUSDT,ETHUSDT; lower case is read as upper case), or for synthetic a count of generated ones (100).",
        DefaultValueFactory = _ => "BTCUSDT",
    };

    public DurationOption Interval { get; } = new("--interval", "The grid: one price per symbol per grid point (100ms, 50ms or 20ms for Binance).", "100ms");

    public Option<double?> Rate { get; } = new("--rate")
    {
        Description = "synthetic: prices per second per symbol, instead of --interval (10 is a 100ms grid).",
        HelpName = "PER-SECOND",
    };

    public Option<int> Seed { get; } = new("--seed") { HelpName = "N", Description = "synthetic: the random walk's seed.", DefaultValueFactory = _ => 1 };

    public Option<string> BinanceUrl { get; } = new("--binance-url")
    {
        Description = "binance: the REST API's base URL.",
        HelpName = "URL",
        DefaultValueFactory = _ => SourceOptions.DefaultBinanceUrl,
    };

    public Option<string> BinanceStreamUrl { get; } = new("--binance-stream-url")
    {
        Description = "binance-ws: the WebSocket streams' base URL.",
        HelpName = "URL",
        DefaultValueFactory = _ => SourceOptions.DefaultBinanceStreamUrl,
    };

    public DurationOption RequestTimeout { get; } = new("--request-timeout", "binance: a request slower than this is abandoned and its grid point counted as a gap.", "2s");

    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[Source, Symbols, Interval, Rate, Seed, BinanceUrl, BinanceStreamUrl, RequestTimeout])
        {
            command.Options.Add(option);
        }

        Interval.Check(interval => interval is not { } given || given > TimeSpan.Zero, "--interval must be longer than 0.");
        // From one price every 1,000 s (a grid within DurationOption.Max) to a millisecond grid.
        Rate.Check(rate => rate is not { } given || given is >= 0.001 and <= 1000, "--rate must be from 0.001 to 1000 a second.");
        RequestTimeout.Check(timeout => timeout is not { } given || given > TimeSpan.Zero, "--request-timeout must be longer than 0.");
        Symbols.Check(
            text => IsCount(text ?? "", out int count) ? count is >= 1 and <= MaxGeneratedSymbols : ParseSymbols(text ?? "").Count > 0,
            $"--symbols needs at least one symbol, or a count of generated ones from 1 to {MaxGeneratedSymbols:N0}.");
        foreach (Option<string> url in (Option<string>[])[BinanceUrl, BinanceStreamUrl])
        {
            url.Check(text => Uri.TryCreate(text, UriKind.Absolute, out _), $"{url.Name} needs an absolute URL.");
        }
    }

    public SourceOptions Bind(ParseResult parseResult) => new()
    {
        Kind = parseResult.GetValue(Source)!,
        Symbols = ParseSymbols(parseResult.GetValue(Symbols)!),
        // A rate is a grid of whole milliseconds: 1000 / rate, rounded.
        Interval = parseResult.GetValue(Rate) is { } rate ? TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(1000 / rate))) : Interval.ValueIn(parseResult),
        Seed = parseResult.GetValue(Seed),
        BinanceUrl = parseResult.GetValue(BinanceUrl)!,
        BinanceStreamUrl = parseResult.GetValue(BinanceStreamUrl)!,
        RequestTimeout = RequestTimeout.ValueIn(parseResult),
    };

    // 100,000 symbols at 10 Hz is a million prices a second, far past what one process keeps up with;
    // a larger count is a typo, and would spend seconds and gigabytes making names before saying so.
    private const int MaxGeneratedSymbols = 100_000;

    internal static IReadOnlyList<string> ParseSymbols(string text) =>
        IsCount(text, out int count)
            ? [.. Enumerable.Range(1, Math.Min(count, MaxGeneratedSymbols)).Select(i => string.Create(CultureInfo.InvariantCulture, $"SYM{i:D4}USDT"))]
            // Binance's symbols are upper case, and it refuses a request that names one twice.
            : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];

    // Digits only: a count of generated symbols (no real symbol is all digits).
    private static bool IsCount(string text, out int count)
    {
        count = 0;
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        count = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? parsed : int.MaxValue;
        return true;
    }
}
