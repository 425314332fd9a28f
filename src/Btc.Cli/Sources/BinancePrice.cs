using System.Globalization;
using Btc.Rx.Records;

namespace Btc.Cli.Sources;

/// <summary>A price as Binance quotes it, a decimal string, checked alike by every Binance source.</summary>
internal static class BinancePrice
{
    /// <summary>
    /// The tick of <paramref name="symbol"/> at <paramref name="timestamp"/> for the quoted
    /// <paramref name="text"/>, or why there is none: not a finite number greater than 0, or one no
    /// record can hold (below 0.000000005, or far too large).
    /// </summary>
    public static bool TryCreateTick(string symbol, string? text, long timestamp, out PriceTick tick, out string? problem)
    {
        tick = default;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double price) || !double.IsFinite(price) || price <= 0)
        {
            problem = $"the price {text ?? "(none)"} is not a finite number greater than 0";
            return false;
        }

        try
        {
            tick = new PriceTick(symbol, price, timestamp);
            problem = null;
            return true;
        }
        catch (ArgumentOutOfRangeException e)
        {
            problem = e.Message;
            return false;
        }
    }
}
