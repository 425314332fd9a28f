namespace Btc.Cli.Sources;

/// <summary>
/// What one <c>GET /api/v3/ticker/price</c> asks Binance for a set of symbols: <c>symbol=</c> for one,
/// <c>symbols=[…]</c> for up to <see cref="MaxNamed"/>, and beyond that every symbol's price, of which
/// the source keeps the ones asked for. A request naming hundreds of symbols makes a URL longer than
/// servers take, while the whole list costs the same weight as a named one.
/// </summary>
internal sealed class PriceRequest
{
    /// <summary>The most symbols a request names; about 2 KB of URL.</summary>
    public const int MaxNamed = 100;

    private readonly HashSet<string> _symbols;

    public PriceRequest(IReadOnlyList<string> symbols)
    {
        Symbols = symbols;
        _symbols = new HashSet<string>(symbols, StringComparer.Ordinal);
        NamesSymbols = symbols.Count <= MaxNamed;
        Path = symbols.Count == 1 ? "/api/v3/ticker/price?symbol=" + Uri.EscapeDataString(symbols[0])
            : NamesSymbols ? "/api/v3/ticker/price?symbols=" + Uri.EscapeDataString("[" + string.Join(",", symbols.Select(s => "\"" + s + "\"")) + "]")
            : "/api/v3/ticker/price";
    }

    public IReadOnlyList<string> Symbols { get; }

    /// <summary>False when the request asks for every symbol's price: the answer then holds symbols not asked for, and lacks those Binance does not list.</summary>
    public bool NamesSymbols { get; }

    public string Path { get; }

    /// <summary>Binance's weight of the request: 2 for one symbol, 4 for several or all.</summary>
    public int Weight => Symbols.Count == 1 ? 2 : 4;

    public bool Asks(string symbol) => _symbols.Contains(symbol);

    /// <summary>Symbols for a log line or a message: all of them up to a dozen, else the first dozen and how many more.</summary>
    public static string Describe(IReadOnlyList<string> symbols, string separator = ",") => symbols.Count <= 12
        ? string.Join(separator, symbols)
        : $"{string.Join(separator, symbols.Take(12))} and {symbols.Count - 12:N0} more";
}
