using System.Globalization;

namespace Btc.Rx.Records;

/// <summary>One <c>btc-price</c> record: a symbol's price at an event time.</summary>
/// <remarks>
/// Besides the price as published (a double), a tick carries the price in exact units of 10^-8
/// (<see cref="PriceUnits"/>), the precision Binance quotes in. Window statistics are computed from
/// those integers so they cannot drift or cancel; digits beyond the eighth decimal are rounded half
/// to even.
/// </remarks>
public readonly record struct PriceTick
{
    /// <summary>Price units per 1.0 of price: prices are exact to 10^-8.</summary>
    public const long UnitsPerPrice = 100_000_000;

    /// <summary>The largest price a tick can hold, 92,233,720,368.54775807 (<see cref="long.MaxValue"/> units).</summary>
    public const decimal MaxPrice = long.MaxValue / (decimal)UnitsPerPrice;

    internal PriceTick(string symbol, double price, long priceUnits, long timestamp)
    {
        Symbol = symbol;
        Price = price;
        PriceUnits = priceUnits;
        Timestamp = timestamp;
    }

    /// <summary>Creates a tick from a price as a double.</summary>
    /// <param name="symbol">The symbol, for example <c>BTCUSDT</c>.</param>
    /// <param name="price">The price: finite, at least 0.000000005 and at most <see cref="MaxPrice"/>.</param>
    /// <param name="timestamp">Event time in milliseconds since the Unix epoch (see <see cref="Time.EventTime"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="symbol"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The price is not finite or outside the range.</exception>
    public PriceTick(string symbol, double price, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        // The shortest round-trip text is the decimal the double was written from, so 0.1 gives
        // exactly 10,000,000 units rather than the binary value's 10,000,000.000000000555.
        if (!double.IsFinite(price) ||
            !decimal.TryParse(price.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal exact) ||
            !TryToUnits(exact, out long units))
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, "A price must be finite, at least 0.000000005 and at most 92233720368.54775807.");
        }

        Symbol = symbol;
        Price = price;
        PriceUnits = units;
        Timestamp = timestamp;
    }

    /// <summary>The symbol, for example <c>BTCUSDT</c>.</summary>
    public string Symbol { get; }

    /// <summary>The price as published.</summary>
    public double Price { get; }

    /// <summary>The price in units of 10^-8, rounded half to even; always at least 1.</summary>
    public long PriceUnits { get; }

    /// <summary>Event time in milliseconds since the Unix epoch, UTC.</summary>
    public long Timestamp { get; }

    /// <summary>The event time as a <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset Time => Btc.Rx.Time.EventTime.ToDateTimeOffset(Timestamp);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Symbol} {Price:R} @ {Btc.Rx.Time.EventTime.Format(Timestamp)}");

    internal static bool TryToUnits(decimal price, out long units)
    {
        units = 0;
        if (price <= 0 || price > MaxPrice)
        {
            return false;
        }

        units = (long)decimal.Round(price * UnitsPerPrice, MidpointRounding.ToEven);
        return units >= 1;
    }
}
