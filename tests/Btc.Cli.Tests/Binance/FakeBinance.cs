using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Tests.Binance;

/// <summary>
/// A local Binance for tests (Kestrel): <c>/api/v3/ping</c>, <c>/api/v3/ticker/price</c> (one symbol,
/// several, or every symbol it lists) with the real response shapes, weight header and error bodies, and the combined <c>/stream</c> WebSocket with
/// aggTrade messages. <see cref="Fault"/> makes the next answers fail in the ways Binance can.
/// </summary>
internal sealed class FakeBinance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<(TimeSpan Arrived, BinanceTrouble Answer)> _priceRequests = [];
    private int _requests;
    private int _faultsLeft;

    public FakeBinance()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseWebSockets();
        _app.MapGet("/api/v3/ping", () => RestrictedLocation ? Results.Text(RestrictedBody, "application/json", statusCode: 451) : Results.Text("{}", "application/json"));
        _app.MapGet("/api/v3/ticker/price", TickerPrice);
        _app.Map("/stream", Stream);
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Urls.Single();
    }

    public string Url { get; }

    public string StreamUrl => Url.Replace("http://", "ws://", StringComparison.Ordinal);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>When each price request arrived (since the fake started) and what it was answered with.</summary>
    public IReadOnlyList<(TimeSpan Arrived, BinanceTrouble Answer)> PriceRequests
    {
        get
        {
            lock (_priceRequests)
            {
                return [.. _priceRequests];
            }
        }
    }

    /// <summary>Answers every request as Binance answers one from a country it does not serve: 451 with this body.</summary>
    public bool RestrictedLocation { get; set; }

    private const string RestrictedBody = """{"code":0,"msg":"Service unavailable from a restricted location according to 'b. Eligibility' in https://www.binance.com/en/terms. Please contact customer service if you believe you received this message in error."}""";

    /// <summary>The weight reported in <c>X-MBX-USED-WEIGHT-1M</c>.</summary>
    public int UsedWeight { get; set; } = 10;

    public BinanceTrouble Fault { get; private set; }

    // The symbols this Binance lists; a price request naming any other is refused with -1121.
    private readonly HashSet<string> _listed = ["BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT"];

    /// <summary>Stops listing <paramref name="symbol"/>, as Binance does a delisted one: requests naming it are refused from now on.</summary>
    public void Delist(string symbol)
    {
        lock (_listed)
        {
            _listed.Remove(symbol);
        }
    }

    /// <summary>Lists <paramref name="symbols"/> too, as Binance does a new one.</summary>
    public void List(IEnumerable<string> symbols)
    {
        lock (_listed)
        {
            _listed.UnionWith(symbols);
        }
    }

    private string[] ListedSymbols()
    {
        lock (_listed)
        {
            return [.. _listed.Order(StringComparer.Ordinal)];
        }
    }

    private bool IsListed(string symbol)
    {
        lock (_listed)
        {
            return _listed.Contains(symbol);
        }
    }

    // Binance's answers, with status 400, to symbols it cannot take: characters no symbol has, one
    // named twice, one it does not list.
    private string? SymbolRefusal(string[] symbols)
    {
        if (symbols.Any(s => !System.Text.RegularExpressions.Regex.IsMatch(s, "^[A-Z0-9-_.]{1,20}$")))
        {
            return """{"code":-1100,"msg":"Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'."}""";
        }

        if (symbols.Distinct(StringComparer.Ordinal).Count() < symbols.Length)
        {
            return """{"code":-1101,"msg":"Duplicate values for a parameter detected."}""";
        }

        lock (_listed)
        {
            return symbols.All(_listed.Contains) ? null : """{"code":-1121,"msg":"Invalid symbol."}""";
        }
    }

    /// <summary>Seconds sent in Retry-After with 429 and 418.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>The trades the stream sends: (symbol, price, trade time), then it keeps the connection open.</summary>
    public List<(string Symbol, string Price, long Time)> Trades { get; } = [];

    /// <summary>Binance disconnects a connection that names more streams than this.</summary>
    public const int MaxStreamsPerConnection = 1024;

    private readonly List<string[]> _connections = [];

    /// <summary>The streams each trade-stream connection named, in the order they connected.</summary>
    public IReadOnlyList<string[]> StreamConnections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Messages the trade stream sends as they are, before <see cref="Trades"/>.</summary>
    public List<string> RawMessages { get; } = [];

    /// <summary>Answers the next <paramref name="count"/> price requests with <paramref name="trouble"/>.</summary>
    public void Fail(BinanceTrouble trouble, int count)
    {
        Fault = trouble;
        Volatile.Write(ref _faultsLeft, count);
    }

    public decimal PriceOf(string symbol) => symbol == "ETHUSDT" ? 3500.25m : 104235.12m;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task TickerPrice(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        context.Response.Headers["X-MBX-USED-WEIGHT-1M"] = UsedWeight.ToString(CultureInfo.InvariantCulture);
        bool everySymbol = !context.Request.Query.ContainsKey("symbols") && !context.Request.Query.ContainsKey("symbol");
        string[] symbols = everySymbol ? ListedSymbols()
            : context.Request.Query.TryGetValue("symbols", out var many) ? [.. many.ToString().Trim('[', ']').Split(',').Select(s => s.Trim('"'))]
            : [context.Request.Query["symbol"].ToString()];
        if (RestrictedLocation)
        {
            context.Response.StatusCode = 451;
            await context.Response.WriteAsync(RestrictedBody);
            return;
        }

        // As Binance: one symbol it cannot take refuses the whole request, whatever the others.
        if (SymbolRefusal(symbols) is { } refusal)
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(refusal);
            return;
        }

        BinanceTrouble trouble = Interlocked.Decrement(ref _faultsLeft) >= 0 ? Fault : BinanceTrouble.None;
        lock (_priceRequests)
        {
            _priceRequests.Add((_clock.Elapsed, trouble));
        }

        switch (trouble)
        {
            case BinanceTrouble.RateLimited:
            case BinanceTrouble.Banned:
                context.Response.StatusCode = trouble == BinanceTrouble.Banned ? 418 : 429;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await context.Response.WriteAsync("""{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE."}""");
                return;
            case BinanceTrouble.ServerError:
                context.Response.StatusCode = 502;
                await context.Response.WriteAsync("<html>Bad Gateway</html>");
                return;
            case BinanceTrouble.Slow:
                await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted);
                break;
            case BinanceTrouble.MalformedJson:
                await context.Response.WriteAsync("""{"symbol":"BTCUSDT","price":""");
                return;
            case BinanceTrouble.LoneSurrogate:
                // JSON that parses, but a string in it that is no Unicode text (half a surrogate pair).
                await context.Response.WriteAsync("""{"symbol":"\ud800","price":"1"}""");
                return;
        }

        string Quote(string symbol)
        {
            string price = trouble switch
            {
                BinanceTrouble.PriceNotANumber => "abc",
                BinanceTrouble.NegativePrice => "-1",
                _ => PriceOf(symbol).ToString("0.00000000", CultureInfo.InvariantCulture),
            };
            return $$"""{"symbol":"{{(trouble == BinanceTrouble.WrongSymbol ? "DOGEUSDT" : symbol)}}","price":"{{price}}"}""";
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(context.Request.Query.ContainsKey("symbol")
            ? Quote(symbols[0])
            : "[" + string.Join(",", symbols.Select(Quote)) + "]");
    }

    private async Task Stream(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        string[] streams = context.Request.Query["streams"].ToString().Split('/', StringSplitOptions.RemoveEmptyEntries);
        lock (_connections)
        {
            _connections.Add(streams);
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        if (streams.Length > MaxStreamsPerConnection)
        {
            // Binance's documented answer to more streams than a connection may have: it disconnects.
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many streams", context.RequestAborted);
            return;
        }

        foreach (string raw in RawMessages)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(raw), WebSocketMessageType.Text, true, context.RequestAborted);
        }

        long id = 1;
        // As Binance does, each connection gets the trades of the streams it names; the trades tests
        // make up with symbols no exchange lists, to break the source, go to every connection.
        foreach (var (symbol, price, time) in Trades.Where(t => streams.Contains(t.Symbol.ToLowerInvariant() + "@aggTrade") || !IsListed(t.Symbol)))
        {
            string message = $$$"""{"stream":"{{{symbol.ToLowerInvariant()}}}@aggTrade","data":{"e":"aggTrade","E":{{{time + 5}}},"s":"{{{symbol}}}","a":{{{id++}}},"p":"{{{price}}}","q":"0.010","f":1,"l":1,"T":{{{time}}},"m":true,"M":true}}""";
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, context.RequestAborted);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }
}

/// <summary>The kinds of trouble the fake can answer with.</summary>
public enum BinanceTrouble
{
    None,
    RateLimited,
    Banned,
    ServerError,
    Slow,
    MalformedJson,
    WrongSymbol,
    PriceNotANumber,
    NegativePrice,
    LoneSurrogate,
}
