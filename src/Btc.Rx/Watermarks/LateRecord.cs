namespace Btc.Rx.Watermarks;

/// <summary>A record dropped because its timestamp was below the watermark when it arrived.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Record">The record.</param>
/// <param name="Timestamp">Its timestamp, in milliseconds since the Unix epoch.</param>
/// <param name="Watermark">The watermark when it arrived: the record was late because <c>Timestamp &lt; Watermark</c>.</param>
public readonly record struct LateRecord<T>(T Record, long Timestamp, long Watermark);

/// <summary>A record dropped because a record with the same key and timestamp was accepted before it (the first one wins).</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Record">The dropped record.</param>
/// <param name="Accepted">The record accepted earlier with the same key and timestamp.</param>
public readonly record struct DuplicateRecord<T>(T Record, T Accepted);
