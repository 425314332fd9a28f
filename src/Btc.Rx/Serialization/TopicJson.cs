using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Btc.Rx.Records;
using Btc.Rx.Time;

namespace Btc.Rx.Serialization;

/// <summary>
/// The five topic formats of SEMANTICS, byte for byte: fields in the documented order and nothing
/// else, <see cref="JsonText"/>'s separators and number form.
/// </summary>
public static class TopicJson
{
    private const int HeaderBytes = 64;
    private const int WindowBytes = 64;

    /// <summary>Writes a <c>btc-price</c> value: <c>{"symbol": "BTCUSDT", "price": 104235.12, "timestamp": "…"}</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    public static void WritePrice(IBufferWriter<byte> output, in PriceTick tick)
    {
        ArgumentNullException.ThrowIfNull(output);
        var w = new JsonSpanWriter(output.GetSpan(HeaderBytes + JsonSpanWriter.MaxStringBytes(tick.Symbol.Length) + JsonText.MaxNumberBytes));
        w.Raw("{\"symbol\": "u8);
        w.String(tick.Symbol);
        w.Raw(", \"price\": "u8);
        w.Number(tick.Price);
        w.Raw(", \"timestamp\": "u8);
        w.Timestamp(tick.Timestamp);
        w.Raw("}"u8);
        output.Advance(w.Written);
    }

    /// <summary>Writes a <c>btc-price-moving</c> value.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteMoving(IBufferWriter<byte> output, MovingStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(statistics);
        WindowSet windows = statistics.Windows;
        var w = new JsonSpanWriter(output.GetSpan(RecordBound(statistics.Symbol, windows, numbersPerWindow: 2)));
        Header(ref w, statistics.Timestamp, statistics.Symbol);
        w.Raw(", \"windows\": ["u8);
        ReadOnlySpan<double> means = statistics.Values[..windows.Count];
        ReadOnlySpan<double> deviations = statistics.Values[windows.Count..];
        for (int i = 0; i < windows.Count; i++)
        {
            WindowOpening(ref w, windows, i);
            w.Raw(", \"avg_price\": "u8);
            w.Number(means[i]);
            w.Raw(", \"std_price\": "u8);
            w.Number(deviations[i]);
            w.Raw("}"u8);
        }

        w.Raw("]}"u8);
        output.Advance(w.Written);
    }

    /// <summary>Writes a <c>btc-price-zscore</c> value.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteZScores(IBufferWriter<byte> output, ZScores zscores)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(zscores);
        WindowSet windows = zscores.Windows;
        var w = new JsonSpanWriter(output.GetSpan(RecordBound(zscores.Symbol, windows, numbersPerWindow: 1)));
        Header(ref w, zscores.Timestamp, zscores.Symbol);
        w.Raw(", \"zscores\": ["u8);
        for (int i = 0; i < windows.Count; i++)
        {
            WindowOpening(ref w, windows, i);
            w.Raw(", \"zscore_price\": "u8);
            w.Number(zscores.Value(i));
            w.Raw("}"u8);
        }

        w.Raw("]}"u8);
        output.Advance(w.Written);
    }

    /// <summary>Writes a <c>btc-price-higher</c> or <c>btc-price-lower</c> value, by the result's direction.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    public static void WriteLookAhead(IBufferWriter<byte> output, in LookAheadResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        var w = new JsonSpanWriter(output.GetSpan(HeaderBytes + JsonSpanWriter.MaxStringBytes(result.Symbol.Length) + JsonText.MaxNumberBytes + 20));
        Header(ref w, result.Timestamp, result.Symbol);
        if (result.Direction == LookAheadDirection.Higher)
        {
            w.Raw(", \"higher_window\": "u8);
        }
        else
        {
            w.Raw(", \"lower_window\": "u8);
        }

        w.Seconds(result.WindowMilliseconds);
        w.Raw("}"u8);
        output.Advance(w.Written);
    }

    /// <summary>A value as a string, for tests and logs: <c>TopicJson.ToString(w => TopicJson.WritePrice(w, tick))</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> is null.</exception>
    public static string ToString(Action<IBufferWriter<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(256);
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // {"window": "30s" — the start of window i's object in a moving or z-score record. Literals of
    // constant length (a branch, not a conditional expression), so each copy is unrolled rather than
    // a memmove call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WindowOpening(ref JsonSpanWriter w, WindowSet windows, int i)
    {
        if (i == 0)
        {
            w.Raw("{\"window\": "u8);
        }
        else
        {
            w.Raw(", {\"window\": "u8);
        }

        w.Short(windows.NameJson(i));
    }

    private static int RecordBound(string symbol, WindowSet windows, int numbersPerWindow)
    {
        int perWindow = WindowBytes + windows.MaxNameJsonLength + (numbersPerWindow * JsonText.MaxNumberBytes);
        return HeaderBytes + JsonSpanWriter.MaxStringBytes(symbol.Length) + (windows.Count * perWindow);
    }

    private static void Header(ref JsonSpanWriter w, long timestamp, string symbol)
    {
        w.Raw("{\"timestamp\": "u8);
        w.Timestamp(timestamp);
        w.Raw(", \"symbol\": "u8);
        w.String(symbol);
    }
}
