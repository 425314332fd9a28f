using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Btc.Cli.Output;
using Btc.Rx.Records;
using Btc.Rx.Time;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Sources;

/// <summary>
/// Follows Binance's combined <c>&lt;symbol&gt;@aggTrade</c> WebSocket streams: the last trade price of
/// each symbol in each grid slot, stamped with the slot's start in exchange time (the trade's <c>T</c>),
/// published when the slot closes (a later trade arrives, or the clock passes the slot's end by one
/// more slot). The client answers the server's pings; a dropped connection is reopened with backoff,
/// and every connection is renewed before Binance's 24-hour limit. Slots missed while disconnected are
/// counted as gaps. Binance disconnects a connection that asks for more than 1,024 streams, and the
/// streams are named in its URL, so the symbols are followed over as many connections as it takes at
/// <see cref="StreamsPerConnection"/> each, every one kept up on its own.
/// </summary>
internal sealed class BinanceTradeSource(SourceOptions options, TimeSpan? duration, ILogger logger, Action<string, string>? onInvalid = null) : IPriceSource
{
    /// <summary>
    /// Streams per connection: well under Binance's 1,024, so that the URL naming them stays near
    /// 4 KB, a length every proxy takes; 2,000 symbols make ten connections, far from Binance's limit
    /// of 300 connection attempts per 5 minutes.
    /// </summary>
    public const int StreamsPerConnection = 200;

    private static readonly TimeSpan Renewal = TimeSpan.FromHours(23.5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly long _step = (long)options.Interval.TotalMilliseconds;
    private readonly HashSet<string> _symbols = new(options.Symbols, StringComparer.Ordinal);
    private readonly string[][] _connections = [.. options.Symbols.Chunk(StreamsPerConnection)];
    private readonly Dictionary<string, (long Slot, PriceTick Tick)> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastPublished = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _gaps;
    private long _invalid;
    private long _reconnects;

    public string Description => _connections.Length == 1
        ? $"binance-ws: {StreamUri(_connections[0])} (last trade per {Btc.Rx.Time.Duration.Format(options.Interval)} slot)"
        : $"binance-ws: {StreamBase}/stream for {options.Symbols.Count:N0} symbols over {_connections.Length} connections of at most {StreamsPerConnection} streams (last trade per {Btc.Rx.Time.Duration.Format(options.Interval)} slot)";

    public long Gaps => Interlocked.Read(ref _gaps);

    public long Trades { get; private set; }

    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Connections reopened, summed over all of them.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Trades for a slot already published (they came too late to count).</summary>
    public long LateTrades { get; private set; }

    private string StreamBase => options.BinanceStreamUrl.TrimEnd('/');

    private Uri StreamUri(string[] symbols) => new(StreamBase + "/stream?streams=" + string.Join("/", symbols.Select(s => s.ToLowerInvariant() + "@aggTrade")));

    public string Describe() => $"{Trades:N0} trades, {Invalid:N0} invalid, {LateTrades:N0} too late for their slot, {Reconnects:N0} reconnects, {Gaps:N0} gaps";

    public IAsyncEnumerable<PriceTick> ReadAsync(CancellationToken cancellationToken) =>
        PriceChannel.ReadAsync(output => Task.Run(() => RunAsync(output, cancellationToken), CancellationToken.None));

    private async Task RunAsync(ChannelWriter<PriceTick> output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        Task closer = CloseSlotsAsync(output, stop.Token);
        try
        {
            await Task.WhenAll(_connections.Select((symbols, i) => FollowAsync(symbols, Name(i), output, stop.Token))).ConfigureAwait(false);
        }
        finally
        {
            await closer.ConfigureAwait(false);
            lock (_gate)
            {
                // The stream ends: the open slots are as complete as they will be.
                foreach (string symbol in _open.Keys.ToList())
                {
                    PublishOpen(symbol, output);
                }
            }

            output.Complete();
        }
    }

    private string Name(int connection) => _connections.Length == 1
        ? "the Binance trade stream"
        : $"Binance trade stream connection {connection + 1} of {_connections.Length}";

    // Keeps one connection up until the source stops: reopened with backoff when it fails, renewed
    // before the 24-hour limit.
    private async Task FollowAsync(string[] symbols, string name, ChannelWriter<PriceTick> output, CancellationToken stop)
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(500);
        DateTimeOffset? disconnectedAt = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var socket = new ClientWebSocket();
                await socket.ConnectAsync(StreamUri(symbols), stop).ConfigureAwait(false);
                if (disconnectedAt is { } since)
                {
                    CountGap(since, symbols.Length);
                    logger.LogInformation("reconnected to {Stream} after {Seconds:F1} s", name, (DateTimeOffset.UtcNow - since).TotalSeconds);
                }

                disconnectedAt = null;
                backoff = TimeSpan.FromMilliseconds(500);
                using var renew = CancellationTokenSource.CreateLinkedTokenSource(stop);
                renew.CancelAfter(Renewal);
                await ReceiveAsync(socket, output, renew.Token).ConfigureAwait(false);
                if (!stop.IsCancellationRequested && renew.IsCancellationRequested)
                {
                    logger.LogInformation("renewing {Stream} before the connection's 24-hour limit", name);
                    continue;
                }
            }
            catch (Exception e) when (e is WebSocketException or IOException or HttpRequestException && !stop.IsCancellationRequested)
            {
                logger.LogWarning("{Stream} failed ({Error}); reconnecting in {Seconds:F1} s", name, e.Message, backoff.TotalSeconds);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            disconnectedAt ??= DateTimeOffset.UtcNow;
            Interlocked.Increment(ref _reconnects);
            try
            {
                await Task.Delay(backoff, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, ChannelWriter<PriceTick> output, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"the server closed the stream ({result.CloseStatus} {result.CloseStatusDescription})");
            }

            // A trade is a few hundred bytes: a message past the longest line btc reads anywhere is
            // kept only in part, to quote, so a server that never ends one cannot fill the memory.
            message.Write(buffer, 0, (int)Math.Min(result.Count, Math.Max(0, LineReader.MaxLineBytes + 1 - message.Length)));
            if (result.EndOfMessage)
            {
                if (message.Length > LineReader.MaxLineBytes)
                {
                    Reject(message.GetBuffer()[..LineReader.LongLinePrefixBytes], "the message is longer than 1 MiB (the value quoted is its first 1,024 bytes)");
                }
                else
                {
                    OnMessage(message.ToArray(), output);
                }

                message.SetLength(0);
            }
        }
    }

    private void OnMessage(byte[] utf8, ChannelWriter<PriceTick> output)
    {
        string? symbol;
        string? priceText;
        long tradeTime;
        try
        {
            using JsonDocument document = JsonDocument.Parse(utf8);
            // A combined stream wraps each trade in {"stream", "data"}; a raw stream sends the trade itself.
            // TryGetProperty throws on anything but an object, so the kinds are checked first.
            JsonElement root = document.RootElement;
            JsonElement data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out JsonElement d) ? d : root;
            bool isObject = data.ValueKind == JsonValueKind.Object;
            symbol = isObject && data.TryGetProperty("s", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            priceText = isObject && data.TryGetProperty("p", out JsonElement p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            tradeTime = isObject && data.TryGetProperty("T", out JsonElement t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out long time) ? time : -1;
        }
        catch (JsonException e)
        {
            Reject(utf8, "the message is not JSON: " + e.Message);
            return;
        }
        catch (InvalidOperationException e)
        {
            // JSON, but a string in it is not text (bytes that are not UTF-8, half a surrogate pair): found only when read.
            Reject(utf8, "the message holds a string that is not valid Unicode: " + e.Message);
            return;
        }

        if (symbol is null || !_symbols.Contains(symbol) || tradeTime < 0 || priceText is null)
        {
            Reject(utf8, "not an aggTrade of a symbol asked for with a price and a trade time");
            return;
        }

        if (tradeTime > EventTime.MaxValue)
        {
            Reject(utf8, "the trade time is after 9999-12-31T23:59:59.999Z");
            return;
        }

        long slot = tradeTime / _step * _step;
        if (!BinancePrice.TryCreateTick(symbol, priceText, slot, out PriceTick tick, out string? problem))
        {
            Reject(utf8, problem!);
            return;
        }

        lock (_gate)
        {
            Trades++;
            if (_lastPublished.TryGetValue(symbol, out long published) && slot <= published)
            {
                LateTrades++;
                return;
            }

            if (_open.TryGetValue(symbol, out var open) && slot > open.Slot)
            {
                PublishOpen(symbol, output);
            }

            _open[symbol] = (slot, tick);
        }
    }

    // A slot is closed once the clock is a whole slot past its end: a trade for it would come too late.
    private async Task CloseSlotsAsync(ChannelWriter<PriceTick> output, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                lock (_gate)
                {
                    foreach (var (symbol, open) in _open.ToList())
                    {
                        if (open.Slot + (2 * _step) <= now)
                        {
                            PublishOpen(symbol, output);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping; the caller publishes what is still open.
        }
    }

    private void PublishOpen(string symbol, ChannelWriter<PriceTick> output)
    {
        var (slot, tick) = _open[symbol];
        _open.Remove(symbol);
        _lastPublished[symbol] = slot;
        output.TryWrite(tick);
    }

    private void CountGap(DateTimeOffset since, int symbols)
    {
        long missed = (long)((DateTimeOffset.UtcNow - since).TotalMilliseconds / _step);
        Interlocked.Add(ref _gaps, missed * symbols);
    }

    private void Reject(byte[] utf8, string reason)
    {
        Interlocked.Increment(ref _invalid);
        logger.LogWarning("an invalid Binance trade message was dropped: {Reason}", reason);
        onInvalid?.Invoke(Encoding.UTF8.GetString(utf8), reason);
    }
}
