using System.Numerics;

namespace Btc.Rx.Windows;

/// <summary>
/// Mean and sample standard deviation from exact integer sums of price units, so the only rounding is
/// in the last few floating-point operations and nothing accumulates over the stream.
/// </summary>
/// <remarks>
/// Prices enter as deviations d = units − anchor from a per-symbol anchor price: shifting does not
/// change the variance, and keeps the sums small. The variance numerator n·Σd² − (Σd)² is an exact
/// integer (so a window of equal prices gives exactly 0), computed in Int128 when it fits and in
/// BigInteger otherwise.
/// </remarks>
internal static class ExactMoments
{
    private static readonly UInt128 FastPathLimit = UInt128.One << 100;

    public static double Mean(long count, long anchor, Int128 sumDeviation) =>
        (double)((anchor * (Int128)count) + sumDeviation) / (count * (double)Records.PriceTick.UnitsPerPrice);

    public static double StandardDeviation(long count, Int128 sumDeviation, UInt128 sumSquaredDeviation)
    {
        if (count < 2)
        {
            return 0.0;
        }

        double numerator;
        // n < 2^26, Σd² < 2^100 and |Σd| < 2^63 keep both products below 2^127.
        if (count < (1L << 26) && sumSquaredDeviation < FastPathLimit && sumDeviation > long.MinValue && sumDeviation < long.MaxValue)
        {
            Int128 exact = (count * (Int128)sumSquaredDeviation) - (sumDeviation * sumDeviation);
            if (exact.Equals(Int128.Zero))
            {
                return 0.0;
            }

            numerator = (double)exact;
        }
        else
        {
            BigInteger exact = (count * (BigInteger)sumSquaredDeviation) - ((BigInteger)sumDeviation * sumDeviation);
            if (exact.IsZero)
            {
                return 0.0;
            }

            numerator = (double)exact;
        }

        double variance = numerator / ((double)count * (count - 1));
        return Math.Sqrt(variance) / Records.PriceTick.UnitsPerPrice;
    }
}
