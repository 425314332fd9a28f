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

    /// <summary>
    /// The source kind to run: <c>auto</c> becomes <c>binance</c> when Binance answers within 3 s, else
    /// <c>synthetic</c>, said in one log line with the reason. For Binance, its symbols are checked first.
    /// </summary>
    /// <exception cref="UnlistedSymbolsException">Binance does not list some of the symbols.</exception>
    public static async Task<string> ResolveAsync(SourceOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        string kind = await ResolveKindAsync(options, logger, cancellationToken).ConfigureAwait(false);
        if (kind is "binance" or "binance-ws")
        {
            await BinanceSymbolCheck.CheckAsync(options, cancellationToken).ConfigureAwait(false);
        }

        return kind;
    }

    private static async Task<string> ResolveKindAsync(SourceOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (options.Kind != "auto")
        {
            return options.Kind;
        }

        if (await BinanceRestSource.PingAsync(options.BinanceUrl, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false) is { } why)
        {
            logger.LogInformation("source auto: Binance at {Url} {Why}, using synthetic prices", options.BinanceUrl, why);
            return "synthetic";
        }

        logger.LogInformation("source auto: Binance answers at {Url}, using live prices", options.BinanceUrl);
        return "binance";
    }
}
