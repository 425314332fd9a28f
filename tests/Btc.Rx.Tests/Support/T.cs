using Btc.Rx.Records;
using Btc.Rx.Time;

namespace Btc.Rx.Tests.Support;

/// <summary>Short helpers for writing ticks and times in tests.</summary>
internal static class T
{
    /// <summary>2026-11-24T10:00:00.000Z, the base of every test's clock.</summary>
    public static readonly long Base = DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    /// <summary>A timestamp <paramref name="seconds"/> after <see cref="Base"/>.</summary>
    public static long At(double seconds) => Base + (long)Math.Round(seconds * 1000);

    public static PriceTick Tick(string symbol, double price, double seconds) => new(symbol, price, At(seconds));

    public static PriceTick Tick(double price, double seconds) => Tick("BTCUSDT", price, seconds);
}
