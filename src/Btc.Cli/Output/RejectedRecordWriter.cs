using System.Globalization;
using Btc.Rx.Time;

namespace Btc.Cli.Output;

/// <summary>Writes <c>btc-price-rejected</c> records (<see cref="RejectedRecordJson"/>) to a file (a file or a topic) and counts them by reason.</summary>
internal sealed class RejectedRecordWriter(IRecordSink file, string stage)
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

    /// <summary>
    /// The most of a value a rejected record quotes. Escaped (six bytes at most for one), it stays well
    /// below the 1 MB a Kafka topic takes by default: a rejected record too large to deliver would stop
    /// a stage at the same input after every restart.
    /// </summary>
    public const int MaxQuotedBytes = 64 * 1024;

    private void Write(string reason, string detail, ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxQuotedBytes)
        {
            detail = string.Create(CultureInfo.InvariantCulture, $"{detail}; the value quoted is its first {MaxQuotedBytes:N0} of {value.Length:N0} bytes");
            value = value[..MaxQuotedBytes];
        }

        RejectedRecordJson.Write(file.Writer, stage, reason, detail, value);
        file.EndRecord();
    }
}
