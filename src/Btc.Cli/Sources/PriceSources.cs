using Microsoft.Extensions.Logging;

namespace Btc.Cli.Sources;

/// <summary>Makes the live source a command asked for; <c>auto</c> tries Binance first and says which it took.</summary>
internal static class PriceSources
{
    public static async Task<IPriceSource> CreateAsync(SourceOptions options, TimeSpan? duration, ILogger logger, Action<string, string>? onInvalid, CancellationToken cancellationToken)
    {
        string kind = await ResolveAsync(options, logger, cancellationToken).ConfigureAwait(false);
        return kind switch
        {
            "binance" => new BinanceRestSource(options, duration, logger, onInvalid),
            "binance-ws" => new BinanceTradeSource(options, duration, logger, onInvalid),
            "synthetic" => new SyntheticSource(options.Symbols, options.Interval, options.Seed, duration),
            _ => throw new ArgumentException($"Unknown source '{kind}'.", nameof(options)),
        };
    }

    /// <summary>The source kind to run: <c>auto</c> becomes <c>binance</c> when Binance answers within 3 s, else <c>synthetic</c>, said in one log line.</summary>
    public static async Task<string> ResolveAsync(SourceOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (options.Kind != "auto")
        {
            return options.Kind;
        }

        bool live = await BinanceRestSource.AnswersAsync(options.BinanceUrl, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        logger.LogInformation(live ? "source auto: Binance answers at {Url}, using live prices" : "source auto: Binance does not answer at {Url} within 3 s, using synthetic prices", options.BinanceUrl);
        return live ? "binance" : "synthetic";
    }
}
