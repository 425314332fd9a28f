using System.Numerics;
using System.Runtime.CompilerServices;
using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>
/// Mean and sample standard deviation from exact integer sums of price units, so the only rounding is
/// in the last few floating-point operations and nothing accumulates over the stream.
/// </summary>
/// <remarks>
/// Prices enter as deviations d = units − anchor from a per-symbol anchor price: shifting does not
/// change the variance, and keeps the sums small. The variance numerator n·Σd² − (Σd)² is an exact
/// integer, so a window of equal prices gives exactly 0. The common case (|Σd| &lt; 2^63, Σd² &lt; 2^96)
/// is computed with 64-bit multiplies into 128 bits; anything larger goes through BigInteger. Either
/// way the relative error is a few units in the last place, far inside the 1e-9 of SEMANTICS.
/// </remarks>
internal static class ExactMoments
{
    private const double TwoTo64 = 18_446_744_073_709_551_616.0;

    /// <summary>d² as an exact 128-bit value (one hardware multiply, not a 128-bit one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 Square(long deviation)
    {
        // Unchecked: the magnitude of long.MinValue is 2^63 as a ulong, where Math.Abs would throw.
        ulong magnitude = (ulong)(deviation < 0 ? -deviation : deviation);
        ulong high = Math.BigMul(magnitude, magnitude, out ulong low);
        return new UInt128(high, low);
    }

    /// <summary>Σx / n from the exact sum Σx = anchor·n + Σd: one conversion of the exact sum and one division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(long count, long anchor, Int128 sumDeviation)
    {
        ulong high = Math.BigMul((ulong)anchor, (ulong)count, out ulong low);
        Int128 sum = new Int128(high, low) + sumDeviation;
        // Most sums fit 64 bits, where the hardware converts; the Int128 conversion is in software.
        double exactSum = (ulong)(sum >> 64) == 0 ? (ulong)sum : (double)sum;
        return exactSum / (count * (double)PriceTick.UnitsPerPrice);
    }

    /// <summary>√((n·Σd² − (Σd)²) / (n·(n − 1))) in price units of 1.0; 0 for fewer than two records.</summary>
    /// <remarks>Inlined into the per-window loop; the rare sums beyond 128-bit products take the slow path out of line.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double StandardDeviation(long count, Int128 sumDeviation, UInt128 sumSquaredDeviation)
    {
        if (count < 2)
        {
            return 0.0;
        }

        ulong squaresHigh = (ulong)(sumSquaredDeviation >> 64);
        long sumLow = (long)sumDeviation;
        bool sumFitsLong = (long)(sumDeviation >> 64) == sumLow >> 63 && sumLow != long.MinValue;
        if (count >= (1L << 31) || squaresHigh >= (1UL << 32) || !sumFitsLong)
        {
            return StandardDeviationOfLargeSums(count, sumDeviation, sumSquaredDeviation);
        }

        // n·Σd² (< 2^127) and (Σd)² (< 2^126) as (high, low) pairs, then their difference.
        ulong productHigh = Math.BigMul((ulong)sumSquaredDeviation, (ulong)count, out ulong productLow);
        productHigh += squaresHigh * (ulong)count;
        ulong magnitude = (ulong)(sumLow < 0 ? -sumLow : sumLow); // sumLow is never long.MinValue here
        ulong squareHigh = Math.BigMul(magnitude, magnitude, out ulong squareLow);
        ulong low = productLow - squareLow;
        ulong high = productHigh - squareHigh - (productLow < squareLow ? 1UL : 0UL);
        return high == 0 && low == 0 ? 0.0 : FromVariance((high * TwoTo64) + low, count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double StandardDeviationOfLargeSums(long count, Int128 sumDeviation, UInt128 sumSquaredDeviation)
    {
        BigInteger exact = (count * (BigInteger)sumSquaredDeviation) - ((BigInteger)sumDeviation * sumDeviation);
        return exact.IsZero ? 0.0 : FromVariance((double)exact, count);
    }

    // The published bytes depend on these exact operations (one division, the square root, one
    // division): a cheaper form, such as multiplying by a cached 1 / (n·(n − 1)·10^16), is as
    // accurate but differs in the last digit now and then.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FromVariance(double numerator, long count)
    {
        double variance = numerator / ((double)count * (count - 1));
        return Math.Sqrt(variance) / PriceTick.UnitsPerPrice;
    }
}
