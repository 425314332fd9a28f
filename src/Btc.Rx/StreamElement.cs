namespace Btc.Rx;

/// <summary>
/// An element of an event-time stream: either a record or a watermark. A watermark W promises that no
/// record with a timestamp below W follows, so every result for a time t &lt; W is final.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public readonly struct StreamElement<T>
{
    private StreamElement(bool isRecord, T record, long watermark)
    {
        IsRecord = isRecord;
        Record = record;
        Watermark = watermark;
    }

    /// <summary>Whether this element is a record (otherwise a watermark).</summary>
    public bool IsRecord { get; }

    /// <summary>The record, when <see cref="IsRecord"/>.</summary>
    public T Record { get; }

    /// <summary>The watermark in milliseconds since the Unix epoch, when not <see cref="IsRecord"/>.</summary>
    public long Watermark { get; }

    /// <summary>Wraps a record.</summary>
    public static StreamElement<T> FromRecord(T record) => new(true, record, 0);

    /// <summary>Creates a watermark element.</summary>
    public static StreamElement<T> FromWatermark(long watermark) => new(false, default!, watermark);

    /// <inheritdoc/>
    public override string ToString() => IsRecord ? $"record {Record}" : $"watermark {Watermark}";
}
