using System.Buffers;
using System.Text;
using Btc.Rx.Records;

namespace Btc.Rx.Serialization;

/// <summary>
/// The five topic formats of SEMANTICS, byte for byte: fields in the documented order and nothing
/// else, <see cref="JsonText"/>'s separators and number form.
/// </summary>
public static class TopicJson
{
    /// <summary>Writes a <c>btc-price</c> value: <c>{"symbol": "BTCUSDT", "price": 104235.12, "timestamp": "…"}</c>.</summary>
    public static void WritePrice(IBufferWriter<byte> output, in PriceTick tick)
    {
        JsonText.WriteRaw(output, "{\"symbol\": "u8);
        JsonText.WriteString(output, tick.Symbol);
        JsonText.WriteRaw(output, ", \"price\": "u8);
        JsonText.WriteNumber(output, tick.Price);
        JsonText.WriteRaw(output, ", \"timestamp\": "u8);
        JsonText.WriteTimestamp(output, tick.Timestamp);
        JsonText.WriteRaw(output, "}"u8);
    }

    /// <summary>Writes a <c>btc-price-moving</c> value.</summary>
    public static void WriteMoving(IBufferWriter<byte> output, MovingStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        WriteHeader(output, statistics.Timestamp, statistics.Symbol);
        JsonText.WriteRaw(output, ", \"windows\": ["u8);
        for (int i = 0; i < statistics.Windows.Count; i++)
        {
            JsonText.WriteRaw(output, i == 0 ? "{\"window\": "u8 : ", {\"window\": "u8);
            JsonText.WriteString(output, statistics.Windows.Name(i));
            JsonText.WriteRaw(output, ", \"avg_price\": "u8);
            JsonText.WriteNumber(output, statistics.Mean(i));
            JsonText.WriteRaw(output, ", \"std_price\": "u8);
            JsonText.WriteNumber(output, statistics.StandardDeviation(i));
            JsonText.WriteRaw(output, "}"u8);
        }

        JsonText.WriteRaw(output, "]}"u8);
    }

    /// <summary>Writes a <c>btc-price-zscore</c> value.</summary>
    public static void WriteZScores(IBufferWriter<byte> output, ZScores zscores)
    {
        ArgumentNullException.ThrowIfNull(zscores);
        WriteHeader(output, zscores.Timestamp, zscores.Symbol);
        JsonText.WriteRaw(output, ", \"zscores\": ["u8);
        for (int i = 0; i < zscores.Windows.Count; i++)
        {
            JsonText.WriteRaw(output, i == 0 ? "{\"window\": "u8 : ", {\"window\": "u8);
            JsonText.WriteString(output, zscores.Windows.Name(i));
            JsonText.WriteRaw(output, ", \"zscore_price\": "u8);
            JsonText.WriteNumber(output, zscores.Value(i));
            JsonText.WriteRaw(output, "}"u8);
        }

        JsonText.WriteRaw(output, "]}"u8);
    }

    /// <summary>Writes a <c>btc-price-higher</c> or <c>btc-price-lower</c> value, by the result's direction.</summary>
    public static void WriteLookAhead(IBufferWriter<byte> output, in LookAheadResult result)
    {
        WriteHeader(output, result.Timestamp, result.Symbol);
        JsonText.WriteRaw(output, result.Direction == LookAheadDirection.Higher ? ", \"higher_window\": "u8 : ", \"lower_window\": "u8);
        JsonText.WriteNumber(output, result.WindowSeconds);
        JsonText.WriteRaw(output, "}"u8);
    }

    /// <summary>A value as a string, for tests and logs: <c>TopicJson.ToString(w => TopicJson.WritePrice(w, tick))</c>.</summary>
    public static string ToString(Action<IBufferWriter<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(256);
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteHeader(IBufferWriter<byte> output, long timestamp, string symbol)
    {
        JsonText.WriteRaw(output, "{\"timestamp\": "u8);
        JsonText.WriteTimestamp(output, timestamp);
        JsonText.WriteRaw(output, ", \"symbol\": "u8);
        JsonText.WriteString(output, symbol);
    }
}
