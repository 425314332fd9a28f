using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Btc.Cli.Logging;
using Btc.Rx.Records;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Sources;

/// <summary>
/// Polls Binance's <c>GET /api/v3/ticker/price</c> on a grid (one request per tick for all symbols).
/// A poll starts on every grid tick whether or not the last one answered, up to a bound on requests
/// in flight; each price is stamped with its receive time rounded down to the grid, at most one record
/// per (symbol, grid point). It respects Binance's limits: watches <c>X-MBX-USED-WEIGHT-1M</c> and
/// pauses before 6,000 a minute, obeys <c>Retry-After</c> on 429 and 418, times out slow requests, and
/// counts grid points left without a price as gaps.
/// </summary>
internal sealed class BinanceRestSource : IPriceSource
{
    /// <summary>Binance allows 6,000 request weight per minute and IP; stop short of it.</summary>
    public const int WeightBudget = 5_400;
    private const int MaxInFlight = 16;

    private readonly SourceOptions _options;
    private readonly TimeSpan? _duration;
    private readonly ILogger _logger;
    private readonly Action<string, string>? _onInvalid;
    private readonly HttpClient _http;
    private readonly long _step;
    private readonly Dictionary<string, long> _lastGrid = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly FailureStreak _failures;
    // What is polled: every symbol asked for, less those Binance stopped listing while the source ran.
    private volatile PriceRequest _request;
    private long _nextSymbolCheckMs;
    private int _checkingSymbols;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private int _inFlight;
    private long _gaps;

    public BinanceRestSource(SourceOptions options, TimeSpan? duration, ILogger logger, Action<string, string>? onInvalid = null)
    {
        _options = options;
        _duration = duration;
        _logger = logger;
        _onInvalid = onInvalid;
        _failures = new FailureStreak(logger, "Binance requests");
        _step = (long)options.Interval.TotalMilliseconds;
        _http = new HttpClient { BaseAddress = new Uri(options.BinanceUrl), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("btc/1.0");
        _request = new PriceRequest(options.Symbols);
    }

    public string Description => _request.NamesSymbols
        ? $"binance: {_options.BinanceUrl}{_request.Path.Split('?')[0]} for {PriceRequest.Describe(_options.Symbols)} every {Btc.Rx.Time.Duration.Format(_options.Interval)}"
        : $"binance: {_options.BinanceUrl}{_request.Path} (every symbol's price, of which the {_options.Symbols.Count:N0} asked for are kept: {PriceRequest.Describe(_options.Symbols)}) every {Btc.Rx.Time.Duration.Format(_options.Interval)}";

    public long Gaps => Interlocked.Read(ref _gaps);

    public long Polls { get; private set; }

    public long Failed => Interlocked.Read(ref _failed);

    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Responses that landed in a grid point already published for their symbol.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Grid ticks skipped: paused for the rate limit or too many requests in flight.</summary>
    public long Skipped { get; private set; }

    private long _failed;
    private long _invalid;
    private long _dropped;

    /// <summary>
    /// Asks <c>/api/v3/ping</c>: null when Binance answers it within <paramref name="timeout"/>, and
    /// otherwise why not, as the end of a log line.
    /// </summary>
    public static async Task<string?> PingAsync(string baseUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = timeout };
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("/api/v3/ping", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? null
                // Binance answers 451 to every request from a country it does not serve, the US among them.
                : status == 451 ? $"answers {status} (it refuses requests from this location; Binance.US users can give --binance-url https://api.binance.us)"
                : $"answers {status} {response.ReasonPhrase}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            return $"does not answer within {timeout.TotalSeconds:0} s";
        }
    }

    public IAsyncEnumerable<PriceTick> ReadAsync(CancellationToken cancellationToken) =>
        PriceChannel.ReadAsync(output => Task.Factory.StartNew(() => Poll(output, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    // The grid is kept by a thread of its own that sleeps to each grid point and starts a poll there:
    // a busy thread pool delays answers (they are stamped when they arrive), never the polls' start.
    private void Poll(ChannelWriter<PriceTick> output, CancellationToken cancellationToken)
    {
        WarnWhenTheGridCostsTooMuch();
        var polls = new List<Task>();
        try
        {
            DateTimeOffset end = _duration is { } d ? DateTimeOffset.UtcNow + d : DateTimeOffset.MaxValue;
            long next = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / _step) + 1) * _step;
            while (!cancellationToken.IsCancellationRequested)
            {
                long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (next > now && cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(next - now)))
                {
                    break;
                }

                if (DateTimeOffset.UtcNow >= end)
                {
                    break;
                }

                if (DateTimeOffset.UtcNow < _pausedUntil || Volatile.Read(ref _inFlight) >= MaxInFlight)
                {
                    Skipped++;
                }
                else
                {
                    Polls++;
                    Interlocked.Increment(ref _inFlight);
                    polls.Add(PollOnceAsync(output, cancellationToken));
                    polls.RemoveAll(p => p.IsCompleted);
                }

                // Grid points that passed while this thread was held up are skipped, not polled late.
                long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                next += _step;
                if (next <= after)
                {
                    long missed = ((after - next) / _step) + 1;
                    Skipped += missed;
                    next += missed * _step;
                }
            }
        }
        finally
        {
            Task.WaitAll(polls);
            output.Complete();
            _http.Dispose();
        }
    }

    // Said before the first poll: past the budget, the polls pause for part of every minute, and
    // otherwise the first sign would be a pause a minute into the run.
    private void WarnWhenTheGridCostsTooMuch()
    {
        long perMinute = 60_000 / _step * _request.Weight;
        if (perMinute > WeightBudget)
        {
            long fastest = (long)Math.Ceiling(60_000.0 * _request.Weight / WeightBudget);
            _logger.LogWarning(
                "polling every {Interval} costs {Weight:N0} request weight a minute, more than the {Budget:N0} btc keeps under (Binance allows 6,000 per IP): the polls pause for part of every minute, and those grid points are gaps; an --interval of {Fastest}ms or more stays within it",
                Btc.Rx.Time.Duration.Format(_options.Interval),
                perMinute,
                WeightBudget,
                fastest);
        }
    }

    private async Task PollOnceAsync(ChannelWriter<PriceTick> output, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            PriceRequest request = _request;
            using HttpResponseMessage response = await _http.GetAsync(new Uri(request.Path, UriKind.Relative), timeout.Token).ConfigureAwait(false);
            long received = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            WatchWeight(response);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or (HttpStatusCode)418)
            {
                Pause(response);
                Interlocked.Increment(ref _failed);
                return;
            }

            string body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failed);
                _failures.Failed("Binance answered {Status}: {Body}", (int)response.StatusCode, Shorten(body));
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    DropUnlistedSymbols(cancellationToken);
                }

                return;
            }

            _failures.Succeeded();

            if (Publish(body, received / _step * _step, request, output) < request.Symbols.Count && !request.NamesSymbols)
            {
                // Binance's list of every price lacks symbols asked for: it may have stopped listing them.
                DropUnlistedSymbols(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            _failures.Failed("a Binance request took longer than {Timeout}; its grid point is a gap", Btc.Rx.Time.Duration.Format(_options.RequestTimeout));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (HttpRequestException e)
        {
            Interlocked.Increment(ref _failed);
            _failures.Failed("a Binance request failed: {Error}", e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // Publishes the prices of the symbols asked for; returns how many of those the answer quoted.
    private int Publish(string body, long grid, PriceRequest request, ChannelWriter<PriceTick> output)
    {
        List<(string? Symbol, string? Price, string Value)> quotes;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            quotes = document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Select(Quote)]
                : [Quote(document.RootElement)];
        }
        catch (JsonException e)
        {
            Reject(body, "the response is not JSON: " + e.Message);
            return 0;
        }
        catch (InvalidOperationException e)
        {
            // JSON, but a string in it is not text (half a surrogate pair): found only when read.
            Reject(body, "the response holds a string that is not valid Unicode: " + e.Message);
            return 0;
        }

        int quoted = 0;
        foreach (var (symbol, priceText, value) in quotes)
        {
            if (symbol is null || !request.Asks(symbol))
            {
                // Most of the list of every price is for symbols not asked for: those are left out.
                if (symbol is null || request.NamesSymbols)
                {
                    Reject(value, $"the symbol {symbol ?? "(none)"} was not asked for");
                }

                continue;
            }

            quoted++;

            if (!BinancePrice.TryCreateTick(symbol, priceText, grid, out PriceTick tick, out string? problem))
            {
                Reject(value, problem!);
                continue;
            }

            lock (_gate)
            {
                if (_lastGrid.TryGetValue(symbol, out long last))
                {
                    if (grid <= last)
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }

                    _gaps += ((grid - last) / _step) - 1;
                }

                _lastGrid[symbol] = grid;
                output.TryWrite(tick);
            }
        }

        return quoted;
    }

    private static (string?, string?, string) Quote(JsonElement element)
    {
        string value = element.GetRawText();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, null, value);
        }

        string? symbol = element.TryGetProperty("symbol", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        string? price = element.TryGetProperty("price", out JsonElement p) ? (p.ValueKind == JsonValueKind.String ? p.GetString() : p.GetRawText()) : null;
        return (symbol, price, value);
    }

    // Binance refuses every price request naming a symbol it stopped listing (delisted while the source
    // runs), and leaves it out of its list of every price: those it no longer lists are found and
    // dropped, so the others go on being polled. One look at a time, and at most one a minute.
    private void DropUnlistedSymbols(CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < Interlocked.Read(ref _nextSymbolCheckMs) || Interlocked.Exchange(ref _checkingSymbols, 1) == 1)
        {
            return;
        }

        _ = Task.Run(
            async () =>
            {
                try
                {
                    IReadOnlyList<string> polled = _request.Symbols;
                    var (unlisted, why) = await BinanceSymbolCheck.FindUnlistedAsync(_options with { Symbols = polled }, cancellationToken).ConfigureAwait(false);
                    if (unlisted.Count == polled.Count)
                    {
                        _logger.LogError("Binance no longer lists any of {Symbols} ({Why}); no poll has a price", PriceRequest.Describe(polled), why);
                    }
                    else if (unlisted.Count > 0)
                    {
                        IReadOnlyList<string> rest = [.. polled.Except(unlisted, StringComparer.Ordinal)];
                        _request = new PriceRequest(rest);
                        _logger.LogWarning("Binance no longer lists {Unlisted} ({Why}); polling {Rest} only", PriceRequest.Describe(unlisted), why, PriceRequest.Describe(rest));
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopping.
                }
                finally
                {
                    Interlocked.Exchange(ref _nextSymbolCheckMs, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
                    Volatile.Write(ref _checkingSymbols, 0);
                }
            },
            CancellationToken.None);
    }

    private void Reject(string value, string reason)
    {
        Interlocked.Increment(ref _invalid);
        _logger.LogWarning("an invalid Binance response was dropped: {Reason}", reason);
        _onInvalid?.Invoke(value, reason);
    }

    private void WatchWeight(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("X-MBX-USED-WEIGHT-1M", out IEnumerable<string>? values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int used)
            && used + (_request.Weight * MaxInFlight) >= WeightBudget)
        {
            // The weight counts per minute of the clock: wait for the next one.
            DateTimeOffset now = DateTimeOffset.UtcNow;
            DateTimeOffset nextMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
            if (nextMinute > _pausedUntil)
            {
                _pausedUntil = nextMinute;
                _logger.LogWarning("Binance request weight {Used} of 6,000 used this minute; pausing polls until {Until:HH:mm:ss} (gaps are counted)", used, nextMinute);
            }
        }
    }

    private void Pause(HttpResponseMessage response)
    {
        TimeSpan wait = response.Headers.RetryAfter?.Delta
            ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(60));
        DateTimeOffset until = DateTimeOffset.UtcNow + wait;
        if (until > _pausedUntil)
        {
            _pausedUntil = until;
            string what = (int)response.StatusCode == 418 ? "banned this IP (418)" : "rate-limited this client (429)";
            _logger.LogWarning("Binance {What}; pausing polls for {Seconds:F0} s as Retry-After says", what, wait.TotalSeconds);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <summary>The counts for the end-of-run line.</summary>
    public string Describe() =>
        $"{Polls:N0} polls, {Failed:N0} failed, {Invalid:N0} invalid, {Dropped:N0} dropped (same grid point), {Gaps:N0} gaps, {Skipped:N0} grid ticks skipped";
}
