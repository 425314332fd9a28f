using Btc.Cli.Logging;
using Btc.Cli.Sources;
using Btc.Rx.Records;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Tests.Binance;

/// <summary>The Binance sources against a local fake with the real shapes and every fault Binance can answer with.</summary>
public class BinanceSourcesTest : IAsyncDisposable
{
    private readonly FakeBinance _binance = new();
    private readonly StringWriter _log = new();
    private readonly List<(string Value, string Reason)> _invalid = [];

    public async ValueTask DisposeAsync() => await _binance.DisposeAsync();

    private ILogger Logger() => CommandLogging.Create(TextWriter.Synchronized(_log)).CreateLogger("extract");

    private SourceOptions Options(params string[] symbols) => new()
    {
        Kind = "binance",
        Symbols = symbols,
        Interval = TimeSpan.FromMilliseconds(100),
        BinanceUrl = _binance.Url,
        BinanceStreamUrl = _binance.StreamUrl,
        // Far above the grid: the first answers, on a cold client and server, can take hundreds of
        // milliseconds on a loaded test machine, and the tests about them must see them (with 500 ms
        // one CI run gave up on both invalid answers). The test of the timeout itself sets its own.
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private async Task<List<PriceTick>> Read(IPriceSource source)
    {
        var ticks = new List<PriceTick>();
        await foreach (PriceTick tick in source.ReadAsync(CancellationToken.None))
        {
            ticks.Add(tick);
        }

        return ticks;
    }

    private BinanceRestSource Rest(TimeSpan duration, params string[] symbols) => Rest(Options(symbols), duration);

    private BinanceRestSource Rest(SourceOptions options, TimeSpan duration) =>
        new(options, duration, Logger(), (value, reason) =>
        {
            lock (_invalid)
            {
                _invalid.Add((value, reason));
            }
        });

    [Fact]
    public async Task SourceAuto_UsesBinanceWhenItAnswers_AndSaysWhyNotWhenItRefusesTheLocation()
    {
        Assert.Equal("binance", await PriceSources.ResolveAsync(Options() with { Kind = "auto" }, Logger(), CancellationToken.None));
        Assert.Contains($"source auto: Binance answers at {_binance.Url}, using live prices", _log.ToString(), StringComparison.Ordinal);

        // Binance answers 451 to every request from a country it does not serve, the US among them.
        _binance.RestrictedLocation = true;
        Assert.Equal("synthetic", await PriceSources.ResolveAsync(Options() with { Kind = "auto" }, Logger(), CancellationToken.None));
        Assert.Contains(
            $"source auto: Binance at {_binance.Url} answers 451 (it refuses requests from this location; Binance.US users can give --binance-url https://api.binance.us), using synthetic prices",
            _log.ToString(),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("binance")]
    [InlineData("binance-ws")]
    [InlineData("auto")]
    public async Task SymbolsBinanceDoesNotList_AreNamedBeforeTheSourceStarts(string kind)
    {
        // Binance refuses a request naming one such symbol for all the others too: every poll would fail.
        var error = await Assert.ThrowsAsync<UnlistedSymbolsException>(() =>
            PriceSources.ResolveAsync(Options("BTCUSDT", "BTCUSTD", "ETHUSDT", "btc/usdt") with { Kind = kind }, Logger(), CancellationToken.None));
        Assert.Equal(
            $"Binance at {_binance.Url} does not list BTCUSTD, btc/usdt (it answered \"Invalid symbol.\"); --symbols takes symbols as Binance lists them, such as BTCUSDT,ETHUSDT.",
            error.Message);

        Assert.Equal(kind == "auto" ? "binance" : kind, await PriceSources.ResolveAsync(Options("BTCUSDT", "ETHUSDT") with { Kind = kind }, Logger(), CancellationToken.None));
    }

    [Fact]
    public async Task SymbolCheck_LeavesABinanceThatFailsOtherwise_ToThePolls()
    {
        // A refusal of the location, or no answer, says nothing about the symbols: the source starts
        // and reports its failed polls.
        _binance.RestrictedLocation = true;
        Assert.Equal("binance", await PriceSources.ResolveAsync(Options("BTCUSDT", "BTCUSTD") with { Kind = "binance" }, Logger(), CancellationToken.None));
        Assert.Equal("binance", await PriceSources.ResolveAsync(Options("BTCUSDT") with { Kind = "binance", BinanceUrl = "http://127.0.0.1:1" }, Logger(), CancellationToken.None));
    }

    [Fact]
    public async Task ASymbolDelistedWhilePolling_IsDropped_AndTheOthersArePolledOn()
    {
        // From then on Binance refuses every request that names it, for the other symbols too.
        BinanceRestSource source = Rest(TimeSpan.FromSeconds(4), "BTCUSDT", "ETHUSDT");
        Task<List<PriceTick>> reading = Read(source);
        await Task.Delay(TimeSpan.FromSeconds(1));
        _binance.Delist("ETHUSDT");
        long dropped = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds();
        List<PriceTick> ticks = await reading;

        Assert.Contains("Binance answered 400: {\"code\":-1121,\"msg\":\"Invalid symbol.\"}", _log.ToString(), StringComparison.Ordinal);
        Assert.True(source.Failed > 0);
        Assert.Contains("Binance no longer lists ETHUSDT (it answered \"Invalid symbol.\"); polling BTCUSDT only", _log.ToString(), StringComparison.Ordinal);
        Assert.Contains(ticks, t => t.Symbol == "ETHUSDT");
        Assert.DoesNotContain(ticks, t => t.Symbol == "ETHUSDT" && t.Timestamp > dropped);
        Assert.True(ticks.Count(t => t.Symbol == "BTCUSDT" && t.Timestamp > dropped) >= 10, string.Join(",", ticks.Select(t => t.Symbol)));
    }

    // More symbols than one request can name: a URL naming them all is longer than servers take (the
    // fake's Kestrel refuses a request line over 8 KB, as most do).
    private string[] ManySymbols()
    {
        string[] symbols = [.. Enumerable.Range(1, 1_100).Select(i => $"SYM{i:D4}USDT")];
        _binance.List(symbols);
        return symbols;
    }

    [Fact]
    public async Task Polling_MoreSymbolsThanOneRequestNames_AsksForEveryPrice_AndKeepsTheOnesAskedFor()
    {
        // Named in one request, every poll failed and not one price came.
        string[] symbols = ManySymbols();
        BinanceRestSource source = Rest(TimeSpan.FromSeconds(1.5), symbols);
        List<PriceTick> ticks = await Read(source);
        Assert.Equal(symbols.Order(StringComparer.Ordinal), ticks.Select(t => t.Symbol).Distinct().Order(StringComparer.Ordinal));
        Assert.Empty(_invalid); // BTCUSDT and the other symbols not asked for are left out, not rejected.
        Assert.Equal(0, source.Failed);
        Assert.Contains($"binance: {_binance.Url}/api/v3/ticker/price (every symbol's price, of which the 1,100 asked for are kept: SYM0001USDT,", source.Description, StringComparison.Ordinal);
        Assert.Contains("SYM0012USDT and 1,088 more) every 100ms", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SymbolCheck_MoreSymbolsThanOneRequestNames_NamesTheOnesNotInBinancesList()
    {
        string[] symbols = [.. ManySymbols(), "BTCUSTD", "DOGEUSDC"];
        var error = await Assert.ThrowsAsync<UnlistedSymbolsException>(() =>
            PriceSources.ResolveAsync(Options(symbols), Logger(), CancellationToken.None));
        Assert.Equal(
            $"Binance at {_binance.Url} does not list BTCUSTD, DOGEUSDC (its list of every symbol's price, 1,105 of them, has none for them); --symbols takes symbols as Binance lists them, such as BTCUSDT,ETHUSDT.",
            error.Message);
        Assert.Equal("binance-ws", await PriceSources.ResolveAsync(Options(symbols[..^2]) with { Kind = "binance-ws" }, Logger(), CancellationToken.None));
    }

    [Fact]
    public async Task ASymbolDelistedWhilePollingEveryPrice_IsDropped_AndTheOthersArePolledOn()
    {
        // Binance's list of every price just stops having it; nothing fails.
        string[] symbols = ManySymbols();
        BinanceRestSource source = Rest(TimeSpan.FromSeconds(3), symbols);
        Task<List<PriceTick>> reading = Read(source);
        await Task.Delay(TimeSpan.FromSeconds(1));
        _binance.Delist("SYM0007USDT");
        List<PriceTick> ticks = await reading;

        Assert.Contains("Binance no longer lists SYM0007USDT (its list of every symbol's price, 1,104 of them, has none for them); polling SYM0001USDT,", _log.ToString(), StringComparison.Ordinal);
        Assert.Contains("and 1,087 more only", _log.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, source.Failed);
        Assert.Equal(symbols.Order(StringComparer.Ordinal), ticks.Select(t => t.Symbol).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Polling_OneRecordPerSymbolPerGridPoint_StampedOnTheGrid_WithTheQuotedPrice()
    {
        BinanceRestSource source = Rest(TimeSpan.FromSeconds(1.5), "BTCUSDT", "ETHUSDT");
        List<PriceTick> ticks = await Read(source);
        // A poll starts on each of the 14 or 15 grid points of the 1.5 s, whether or not the last one
        // answered; only points that pass while the grid thread is held up are skipped.
        Assert.InRange(source.Polls, 10, 15);
        // Every answer gives one price per symbol: published, or dropped when an earlier answer already
        // filled its grid point. How many grid points the answers land in depends on how fast the machine
        // answers: the first ones on a cold server are slower than the grid, and one CI run under the
        // whole suite had all its answers land in two.
        Assert.InRange(ticks.Count, 2, 2 * 15);
        Assert.Equal(2 * source.Polls, ticks.Count + source.Dropped);
        Assert.All(ticks, t => Assert.Equal(0, t.Timestamp % 100));
        Assert.Equal(ticks.Count, ticks.Select(t => (t.Symbol, t.Timestamp)).Distinct().Count());
        Assert.All(ticks, t => Assert.Equal((double)_binance.PriceOf(t.Symbol), t.Price));
        Assert.Equal(source.Polls, _binance.Requests);
        Assert.Equal(0, source.Failed + source.Invalid);
    }

    [Theory]
    [InlineData(BinanceTrouble.ServerError)]
    [InlineData(BinanceTrouble.Slow)]
    public async Task FailedRequests_AreCountedAndLogged_AndPollingGoesOn(BinanceTrouble trouble)
    {
        _binance.Fail(trouble, 3);
        // For a slow answer, a timeout half as long as the fake takes (3 s), so that one fails; the
        // others keep the usual timeout, far above what a loaded machine takes to answer (with 500 ms
        // for all, a CI run under load saw the three server errors time out instead).
        TimeSpan timeout = trouble == BinanceTrouble.Slow ? TimeSpan.FromSeconds(1.5) : Options().RequestTimeout;
        BinanceRestSource source = Rest(Options("BTCUSDT") with { RequestTimeout = timeout }, TimeSpan.FromSeconds(1.5));
        List<PriceTick> ticks = await Read(source);
        // At least the three faulted ones; on a loaded test machine a slow answer can hold up the next too.
        Assert.InRange(source.Failed, 3, source.Polls - 1);
        Assert.NotEmpty(ticks);
        string expected = trouble == BinanceTrouble.Slow ? $"took longer than {Btc.Rx.Time.Duration.Format(timeout)}" : "Binance answered";
        Assert.Contains(expected, _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_EveryPollFails_ButTheLogSaysSoOnce()
    {
        // Nothing listens on port 1: each of the 14-15 polls fails at once.
        BinanceRestSource source = Rest(Options("BTCUSDT") with { BinanceUrl = "http://127.0.0.1:1" }, TimeSpan.FromSeconds(1.5));
        List<PriceTick> ticks = await Read(source);
        Assert.Empty(ticks);
        Assert.Equal(source.Polls, source.Failed);
        Assert.InRange(source.Failed, 10, 15);
        Assert.Single(_log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("a Binance request failed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(BinanceTrouble.MalformedJson, "not JSON")]
    [InlineData(BinanceTrouble.WrongSymbol, "DOGEUSDT was not asked for")]
    [InlineData(BinanceTrouble.PriceNotANumber, "the price abc is not")]
    [InlineData(BinanceTrouble.NegativePrice, "the price -1 is not")]
    [InlineData(BinanceTrouble.LoneSurrogate, "not valid Unicode")]
    public async Task InvalidAnswers_AreRejectedWithTheirReason_NeverPublished(BinanceTrouble trouble, string reason)
    {
        _binance.Fail(trouble, 2);
        BinanceRestSource source = Rest(TimeSpan.FromSeconds(1), "BTCUSDT");
        List<PriceTick> ticks = await Read(source);
        Assert.Equal(2, source.Invalid);
        Assert.Equal(2, _invalid.Count);
        Assert.All(_invalid, i => Assert.Contains(reason, i.Reason, StringComparison.Ordinal));
        Assert.All(ticks, t => Assert.Equal(104235.12, t.Price));
    }

    [Theory]
    [InlineData(BinanceTrouble.RateLimited, "rate-limited this client (429)")]
    [InlineData(BinanceTrouble.Banned, "banned this IP (418)")]
    public async Task RetryAfter_PausesPolling_SaysSoOnce_ThenPollingResumes(BinanceTrouble trouble, string message)
    {
        _binance.RetryAfterSeconds = 1;
        _binance.Fail(trouble, 1);
        // Three seconds: the refused request can come late in a run on a loaded machine (a cold client),
        // and polls must still be seen after its one-second pause.
        BinanceRestSource source = Rest(TimeSpan.FromSeconds(3), "BTCUSDT");
        List<PriceTick> ticks = await Read(source);
        Assert.Contains(message + "; pausing polls for 1 s", _log.ToString(), StringComparison.Ordinal);
        Assert.InRange(source.Skipped, 5, 12);
        Assert.NotEmpty(ticks);
        // No polls during the pause, seen where they would arrive. Requests already under way when the
        // refusal was sent may still come in just after it (up to 0.3 s late on a loaded machine; the
        // prices they bring are stamped when they return, so they say nothing about the pause), but a
        // source that went on polling would send six or more between 0.3 s and 0.9 s; after the pause
        // polling resumes.
        var requests = _binance.PriceRequests;
        TimeSpan refused = requests.First(r => r.Answer == trouble).Arrived;
        Assert.DoesNotContain(requests, r => r.Arrived > refused + TimeSpan.FromSeconds(0.3) && r.Arrived < refused + TimeSpan.FromSeconds(0.9));
        Assert.Contains(requests, r => r.Arrived > refused + TimeSpan.FromSeconds(1));
        Assert.InRange(source.Gaps, 0, 20);
    }

    [Fact]
    public async Task UsedWeightNearTheLimit_PausesUntilTheNextMinute()
    {
        _binance.UsedWeight = 5_390;
        // Long enough for grid points to pass after the first answer, which the weight comes with: on a
        // loaded machine a cold client's first answer took most of the 600 ms this once ran for.
        BinanceRestSource source = Rest(TimeSpan.FromSeconds(3), "BTCUSDT");
        await Read(source);
        Assert.Contains("Binance request weight 5390 of 6,000 used this minute; pausing polls until", _log.ToString(), StringComparison.Ordinal);
        Assert.True(source.Skipped > 0);
    }

    [Theory]
    [InlineData(20, new[] { "BTCUSDT" }, "polling every 20ms costs 6,000 request weight a minute, more than the 5,400 btc keeps under (Binance allows 6,000 per IP): the polls pause for part of every minute, and those grid points are gaps; an --interval of 23ms or more stays within it")]
    [InlineData(20, new[] { "BTCUSDT", "ETHUSDT" }, "polling every 20ms costs 12,000 request weight a minute, more than the 5,400 btc keeps under (Binance allows 6,000 per IP): the polls pause for part of every minute, and those grid points are gaps; an --interval of 45ms or more stays within it")]
    [InlineData(50, new[] { "BTCUSDT", "ETHUSDT" }, null)]
    public async Task AGridThatCostsMoreWeightThanBinanceAllows_IsSaidBeforeTheFirstPoll(int intervalMs, string[] symbols, string? warning)
    {
        // Otherwise the first sign was a pause a minute into the run, and another every minute.
        BinanceRestSource source = Rest(Options(symbols) with { Interval = TimeSpan.FromMilliseconds(intervalMs) }, TimeSpan.FromMilliseconds(200));
        await Read(source);
        if (warning is null)
        {
            Assert.DoesNotContain("request weight a minute", _log.ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(warning, _log.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TradeStream_LastTradeOfEachSlot_StampedWithTheSlotStart()
    {
        _binance.Trades.AddRange([
            ("BTCUSDT", "100.5", 1_000), ("BTCUSDT", "100.7", 1_050), ("ETHUSDT", "3500", 1_020),
            ("BTCUSDT", "abc", 1_060), ("BTCUSDT", "101", 1_150), ("BTCUSDT", "99", 1_040), ("ETHUSDT", "3501.5", 1_330), ("\\ud800", "1", 1_340)]);
        var source = new BinanceTradeSource(Options("BTCUSDT", "ETHUSDT") with { Kind = "binance-ws" }, TimeSpan.FromSeconds(1), Logger(), (v, r) => _invalid.Add((v, r)));
        List<PriceTick> ticks = await Read(source);
        Assert.Equal(
            [("BTCUSDT", 1_000L, 100.7), ("ETHUSDT", 1_000L, 3500.0), ("BTCUSDT", 1_100L, 101.0), ("ETHUSDT", 1_300L, 3501.5)],
            ticks.Select(t => (t.Symbol, t.Timestamp, t.Price)).OrderBy(t => t.Timestamp).ThenBy(t => t.Symbol, StringComparer.Ordinal));
        Assert.Equal(2, _invalid.Count);
        Assert.Single(_invalid, i => i.Reason.Contains("not valid Unicode", StringComparison.Ordinal));
        Assert.Single(_invalid, i => i.Reason == "the price abc is not a finite number greater than 0");
        Assert.Equal(1, source.LateTrades);
    }

    [Fact]
    public async Task TradeStream_MessagesOfAnotherShape_AreRejected_TheNextOnesRead()
    {
        // JSON, but not objects where a trade has them: reading them threw out of the source once.
        _binance.RawMessages.AddRange(["[1, 2]", "7", """{"data": 5}""", """{"stream": "x", "data": [1]}""", """{"s": "BTCUSDT", "p": "1", "T": "soon"}""", """{"s": "BTCUSDT", "p": "1", "T": 1.5}"""]);
        _binance.Trades.AddRange([("BTCUSDT", "100.5", 1_000), ("BTCUSDT", "101", 1_150)]);
        var source = new BinanceTradeSource(Options("BTCUSDT") with { Kind = "binance-ws" }, TimeSpan.FromSeconds(1), Logger(), (v, r) => _invalid.Add((v, r)));
        List<PriceTick> ticks = await Read(source);
        Assert.Equal([100.5, 101.0], ticks.Select(t => t.Price));
        Assert.Equal(6, _invalid.Count);
        Assert.All(_invalid, i => Assert.StartsWith("not an aggTrade", i.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TradeStream_PricesAndTradeTimesOutsideWhatARecordHolds_AreRejected_TheNextOnesRead()
    {
        // Numbers, positive, but no btc-price record can hold them: they threw out of the source once.
        _binance.Trades.AddRange([
            ("BTCUSDT", "100.5", 1_000), ("BTCUSDT", "0.000000001", 1_050), ("BTCUSDT", "1e12", 1_060),
            ("BTCUSDT", "100.6", 253_402_300_800_000), ("BTCUSDT", "101", 1_150)]);
        var source = new BinanceTradeSource(Options("BTCUSDT") with { Kind = "binance-ws" }, TimeSpan.FromSeconds(1), Logger(), (v, r) => _invalid.Add((v, r)));
        List<PriceTick> ticks = await Read(source);
        Assert.Equal([(1_000L, 100.5), (1_100L, 101.0)], ticks.Select(t => (t.Timestamp, t.Price)));
        Assert.Equal(3, _invalid.Count);
        Assert.DoesNotContain(_invalid, i => i.Reason.StartsWith("not an aggTrade", StringComparison.Ordinal));
        Assert.Contains(_invalid, i => i.Reason.StartsWith("A price must be", StringComparison.Ordinal) && i.Value.Contains("0.000000001", StringComparison.Ordinal));
        Assert.Contains(_invalid, i => i.Reason.StartsWith("A price must be", StringComparison.Ordinal) && i.Value.Contains("1e12", StringComparison.Ordinal));
        Assert.Contains(_invalid, i => i.Reason == "the trade time is after 9999-12-31T23:59:59.999Z");
    }

    [Fact]
    public async Task TradeStream_MessageOverOneMebibyte_IsRejected_TheNextOnesRead()
    {
        _binance.Trades.AddRange([("BTCUSDT", "100.5", 1_000), (new string('A', 2 << 20), "1", 1_050), ("BTCUSDT", "101", 1_150)]);
        var source = new BinanceTradeSource(Options("BTCUSDT") with { Kind = "binance-ws" }, TimeSpan.FromSeconds(1), Logger(), (v, r) => _invalid.Add((v, r)));
        List<PriceTick> ticks = await Read(source);
        Assert.Equal([100.5, 101.0], ticks.Select(t => t.Price));
        var (value, reason) = Assert.Single(_invalid);
        Assert.Equal("the message is longer than 1 MiB (the value quoted is its first 1,024 bytes)", reason);
        Assert.Equal(1024, value.Length);
    }

    [Fact]
    public async Task TradeStream_MoreSymbolsThanOneConnectionTakes_FollowsThemOverSeveral()
    {
        // Binance disconnects a connection naming more than 1,024 streams: with them all in one, not
        // one price came, however often it reconnected.
        string[] symbols = [.. Enumerable.Range(1, 1_100).Select(i => $"SYM{i:D4}USDT")];
        _binance.List(symbols);
        _binance.Trades.AddRange([(symbols[0], "1.5", 1_000), (symbols[600], "2.5", 1_000), (symbols[^1], "3.5", 1_000)]);
        var source = new BinanceTradeSource(Options(symbols) with { Kind = "binance-ws" }, TimeSpan.FromSeconds(1), Logger());
        List<PriceTick> ticks = await Read(source);
        Assert.Equal([(symbols[0], 1.5), (symbols[600], 2.5), (symbols[^1], 3.5)], ticks.Select(t => (t.Symbol, t.Price)).OrderBy(t => t.Price));
        IReadOnlyList<string[]> connections = _binance.StreamConnections;
        Assert.Equal(6, connections.Count);
        Assert.All(connections, c => Assert.InRange(c.Length, 1, BinanceTradeSource.StreamsPerConnection));
        Assert.Equal(symbols.Select(s => s.ToLowerInvariant() + "@aggTrade").Order(), connections.SelectMany(c => c).Order());
        Assert.Equal(0, source.Reconnects);
        Assert.Contains("for 1,100 symbols over 6 connections of at most 200 streams", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TradeStream_Unreachable_RetriesWithBackoff_AndEndsOnTime()
    {
        var source = new BinanceTradeSource(Options("BTCUSDT") with { BinanceStreamUrl = "ws://127.0.0.1:1" }, TimeSpan.FromSeconds(2), Logger());
        List<PriceTick> ticks = await Read(source);
        Assert.Empty(ticks);
        Assert.InRange(source.Reconnects, 2, 5);
        Assert.Contains("reconnecting in", _log.ToString(), StringComparison.Ordinal);
    }
}
