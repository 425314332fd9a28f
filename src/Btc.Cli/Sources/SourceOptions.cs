namespace Btc.Cli.Sources;

/// <summary>Which prices a run reads: <c>auto</c>, <c>binance</c>, <c>binance-ws</c> or <c>synthetic</c>, and their settings.</summary>
internal sealed record SourceOptions
{
    public const string DefaultBinanceUrl = "https://api.binance.com";
    public const string DefaultBinanceStreamUrl = "wss://stream.binance.com:9443";

    public string Kind { get; init; } = "auto";

    public IReadOnlyList<string> Symbols { get; init; } = ["BTCUSDT"];

    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(100);

    public int Seed { get; init; } = 1;

    public string BinanceUrl { get; init; } = DefaultBinanceUrl;

    public string BinanceStreamUrl { get; init; } = DefaultBinanceStreamUrl;

    /// <summary>A request slower than this counts as failed; its grid point becomes a gap.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
