using System.Numerics;

namespace Btc.Rx.Tests.Oracle;

/// <summary>Exact rational arithmetic for the oracle: values as BigInteger fractions, converted to double only at the end.</summary>
internal static class ExactMath
{
    /// <summary>num/den as the nearest double (to well under 1e-15 relative).</summary>
    public static double ToDouble(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.IsZero)
        {
            return 0;
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        // Scale so the integer quotient carries about 80 significant bits, then divide once.
        long shift = 80 - ((long)BigInteger.Abs(numerator).GetBitLength() - (long)denominator.GetBitLength());
        BigInteger quotient = shift >= 0 ? (numerator << (int)shift) / denominator : numerator / (denominator << (int)-shift);
        return (double)quotient * Math.Pow(2, -shift);
    }

    /// <summary>The exact rational value of a double as (numerator, denominator).</summary>
    public static (BigInteger Numerator, BigInteger Denominator) FromDouble(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFF;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        BigInteger numerator = negative ? -mantissa : mantissa;
        return exponent >= 0 ? (numerator << exponent, BigInteger.One) : (numerator, BigInteger.One << -exponent);
    }

    /// <summary>Asserts |actual − expected| ≤ relative·|expected|, and exact equality when expected is 0.</summary>
    public static void AssertClose(double expected, double actual, double relative, string what)
    {
        if (expected == 0)
        {
            Assert.True(actual == 0, $"{what}: expected exactly 0, got {actual:R}");
            return;
        }

        double error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= relative, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2} > {relative:E0})");
    }
}
