using Btc.Cli.Output;
using Btc.Rx.Serialization;
using Btc.Rx.Time;

namespace Btc.Cli.Pipeline;

/// <summary>
/// Writes <c>btc-price-rejected</c> records: <c>{"stage": …, "reason": …, "detail": …, "value": …}</c>
/// with the original value as a string (it may not be JSON at all), so nothing rejected is lost.
/// </summary>
internal sealed class RejectedRecordWriter(JsonLinesFile file, string stage)
{
    public long Invalid { get; private set; }

    public long Late { get; private set; }

    public long Duplicate { get; private set; }

    public void WriteInvalid(ReadOnlySpan<byte> value, string reason)
    {
        Invalid++;
        Write("invalid", reason, value);
    }

    public void WriteLate(ReadOnlySpan<byte> value, long timestamp, long watermark, TimeSpan allowedLateness)
    {
        Late++;
        Write("late", $"timestamp {EventTime.Format(timestamp)} is before the watermark {EventTime.Format(watermark)} (allowed lateness {Duration.Format(allowedLateness)})", value);
    }

    public void WriteDuplicate(ReadOnlySpan<byte> value, string symbol, long timestamp)
    {
        Duplicate++;
        Write("duplicate", $"a record for {symbol} at {EventTime.Format(timestamp)} was accepted before", value);
    }

    private void Write(string reason, string detail, ReadOnlySpan<byte> value)
    {
        JsonText.WriteRaw(file.Writer, "{\"stage\": "u8);
        JsonText.WriteString(file.Writer, stage);
        JsonText.WriteRaw(file.Writer, ", \"reason\": "u8);
        JsonText.WriteString(file.Writer, reason);
        JsonText.WriteRaw(file.Writer, ", \"detail\": "u8);
        JsonText.WriteString(file.Writer, detail);
        JsonText.WriteRaw(file.Writer, ", \"value\": "u8);
        JsonText.WriteString(file.Writer, System.Text.Encoding.UTF8.GetString(value));
        JsonText.WriteRaw(file.Writer, "}"u8);
        file.EndRecord();
    }
}
