namespace Btc.Rx.Records;

/// <summary>Which way a look-ahead result looks: for the first strictly higher or the first strictly lower price.</summary>
public enum LookAheadDirection
{
    /// <summary>The first later price strictly above (<c>btc-price-higher</c>, <c>higher_window</c>).</summary>
    Higher,

    /// <summary>The first later price strictly below (<c>btc-price-lower</c>, <c>lower_window</c>).</summary>
    Lower,
}

/// <summary>
/// One <c>btc-price-higher</c> or <c>btc-price-lower</c> record: the seconds from a price to the first
/// strictly higher (or lower) price of the same symbol within the horizon, or the horizon itself when none came.
/// </summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Timestamp">The timestamp of the price looked ahead from, in milliseconds since the Unix epoch.</param>
/// <param name="Direction">Higher or lower.</param>
/// <param name="WindowMilliseconds">The whole milliseconds to the first such price, or the horizon.</param>
/// <param name="Found">Whether such a price came within the horizon.</param>
public readonly record struct LookAheadResult(string Symbol, long Timestamp, LookAheadDirection Direction, long WindowMilliseconds, bool Found)
{
    /// <summary>The window in seconds (<c>higher_window</c>/<c>lower_window</c>), from integer milliseconds: 0.3, never 0.30000000000000004.</summary>
    public double WindowSeconds => WindowMilliseconds / 1000.0;
}
