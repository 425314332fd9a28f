using System.Net;
using System.Text.Json;
using Btc.Cli.Commands;

namespace Btc.Cli.Sources;

/// <summary>
/// Checks, before a Binance source starts, that Binance lists every symbol asked for. Binance refuses
/// a price request that names one symbol it does not list with 400 for all of them (-1121 "Invalid
/// symbol.", or -1100 for characters no symbol has), so one typo in <c>--symbols</c> would leave every
/// poll failing and no price at all, for as long as the run lasts.
/// </summary>
internal static class BinanceSymbolCheck
{
    // Binance's codes for a symbol it does not list, and for one no symbol can be.
    private const int InvalidSymbol = -1121;
    private const int IllegalCharacters = -1100;
    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Asks Binance for the prices of every symbol, as the source will; when it refuses them for a
    /// symbol, asks for each symbol alone to name the ones it does not list. A Binance that answers
    /// otherwise, or not at all, is left to the source, which reports failed requests as it polls.
    /// </summary>
    /// <exception cref="UnlistedSymbolsException">Binance does not list some of the symbols.</exception>
    public static async Task CheckAsync(SourceOptions options, CancellationToken cancellationToken)
    {
        var (unlisted, why) = await FindUnlistedAsync(options, cancellationToken).ConfigureAwait(false);
        if (unlisted.Count > 0)
        {
            throw new UnlistedSymbolsException(
                $"Binance at {options.BinanceUrl} does not list {PriceRequest.Describe(unlisted, ", ")} ({why}); "
                + "--symbols takes symbols as Binance lists them, such as BTCUSDT,ETHUSDT.");
        }
    }

    /// <summary>
    /// The symbols of <paramref name="options"/> Binance does not list, and how it said so (its answer
    /// for the first, or that its list of every price lacks them); none when it takes them all, or
    /// does not answer about them.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Unlisted, string? Why)> FindUnlistedAsync(SourceOptions options, CancellationToken cancellationToken)
    {
        TimeSpan timeout = options.RequestTimeout > MinTimeout ? options.RequestTimeout : MinTimeout;
        using var http = new HttpClient { BaseAddress = new Uri(options.BinanceUrl), Timeout = timeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("btc/1.0");
        var request = new PriceRequest(options.Symbols);
        if (!request.NamesSymbols)
        {
            return await MissingFromEveryPriceAsync(http, request, cancellationToken).ConfigureAwait(false);
        }

        if (await RefusalAsync(http, options.Symbols, cancellationToken).ConfigureAwait(false) is not { } refusal)
        {
            return ([], null);
        }

        // Which ones: a request per symbol, a weight of 2 each against Binance's 6,000 a minute.
        (string Symbol, string? Refusal)[] answers = options.Symbols.Count == 1
            ? [(options.Symbols[0], refusal)]
            : await Task.WhenAll(options.Symbols.Select(async symbol =>
                (symbol, await RefusalAsync(http, [symbol], cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        List<(string Symbol, string? Refusal)> unlisted = [.. answers.Where(a => a.Refusal is not null)];
        return ([.. unlisted.Select(u => u.Symbol)], unlisted.Count > 0 ? $"it answered \"{unlisted[0].Refusal}\"" : null);
    }

    // Too many symbols to name in one request: the symbols asked for that Binance's list of every
    // price leaves out.
    private static async Task<(IReadOnlyList<string> Unlisted, string? Why)> MissingFromEveryPriceAsync(HttpClient http, PriceRequest request, CancellationToken cancellationToken)
    {
        var (unlisted, why) = await AskAsync(http, request, ReadMissing, cancellationToken).ConfigureAwait(false);
        return (unlisted ?? [], why);

        (IReadOnlyList<string>?, string?) ReadMissing(HttpStatusCode status, JsonElement root)
        {
            if (status != HttpStatusCode.OK || root.ValueKind != JsonValueKind.Array)
            {
                return (null, null);
            }

            var quoted = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonElement quote in root.EnumerateArray())
            {
                if (quote.ValueKind == JsonValueKind.Object && quote.TryGetProperty("symbol", out JsonElement symbol) && symbol.ValueKind == JsonValueKind.String)
                {
                    quoted.Add(symbol.GetString()!);
                }
            }

            if (quoted.Count == 0)
            {
                return (null, null); // No price at all says nothing about which symbols Binance lists.
            }

            List<string> missing = [.. request.Symbols.Where(s => !quoted.Contains(s))];
            return (missing, missing.Count > 0 ? $"its list of every symbol's price, {quoted.Count:N0} of them, has none for them" : null);
        }
    }

    // Binance's message when it refused the price request for a symbol it does not take; null for any
    // other answer, or none.
    private static Task<string?> RefusalAsync(HttpClient http, IReadOnlyList<string> symbols, CancellationToken cancellationToken) =>
        AskAsync(
            http,
            new PriceRequest(symbols),
            static (status, root) => status == HttpStatusCode.BadRequest && root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("code", out JsonElement code) && code.TryGetInt32(out int number) && number is InvalidSymbol or IllegalCharacters
                && root.TryGetProperty("msg", out JsonElement message) && message.ValueKind == JsonValueKind.String
                ? message.GetString()
                : null,
            cancellationToken);

    // Makes the request and reads Binance's answer, its status and JSON body, with `read`; the default
    // of T when Binance does not answer, or answers with something that is not JSON.
    private static async Task<T?> AskAsync<T>(HttpClient http, PriceRequest request, Func<HttpStatusCode, JsonElement, T?> read, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri(request.Path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return read(response.StatusCode, body.RootElement);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return default;
        }
    }
}

/// <summary>Binance does not list symbols given to <c>--symbols</c>: a usage error, exit code 2.</summary>
internal sealed class UnlistedSymbolsException(string message) : UsageException(message);
