using System.Globalization;
using System.Numerics;
using System.Text;
using Btc.Rx.Serialization;

namespace Btc.Rx.Tests.Serialization;

public class ShortestDigitsTest
{
    [Fact]
    public void EveryPowerOfTwo_IsShortestAndNearest()
    {
        // Powers of two have the lopsided interval (the double below is twice as near); .NET's own
        // "R" gets two of them wrong (2^-25 and 2^-958 print 16 digits that read back as another double).
        for (long biased = 1; biased < 2047; biased++)
        {
            AssertShortestAndNearest(BitConverter.Int64BitsToDouble(biased << 52));
        }
    }

    [Fact]
    public void TheSmallestSubnormals_AreShortestAndNearest()
    {
        // 5e-324, 1e-323, 1.5e-323, 2e-323 … where few digits are enough.
        for (long bits = 1; bits <= 5_000; bits++)
        {
            AssertShortestAndNearest(BitConverter.Int64BitsToDouble(bits));
        }
    }

    [Fact]
    public void ManyDoubles_AreShortestAndNearest()
    {
        var random = new Random(77);
        for (int i = 0; i < 150_000; i++)
        {
            double value = (i % 3) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64(1, 0x7FF0_0000_0000_0000)),
                1 => BitConverter.Int64BitsToDouble(random.NextInt64(1, 1L << 52)), // subnormals
                _ => 97_000 + (random.NextDouble() * 100),
            };
            AssertShortestAndNearest(value);
        }

        AssertShortestAndNearest(double.MaxValue);
        AssertShortestAndNearest(double.Epsilon);
    }

    // The significant digits of a positive finite double as the serializer finds them; value = 0.d1d2… × 10^point.
    private static int Digits(double value, Span<byte> digits, out int point)
    {
        ulong significand = ShortestDigits.Significand(value, out int exponent);
        int count = ShortestDigits.DigitCount(significand);
        ShortestDigits.WriteDigits(digits, significand, count);
        point = count + exponent;
        return count;
    }

    [Fact]
    public void Digits_AreDotNetsShortestRoundTrip_OnMillionsOfDoubles()
    {
        var random = new Random(2026);
        Span<byte> digits = stackalloc byte[24];
        for (int i = 0; i < 3_000_000; i++)
        {
            double value = (i % 4) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64(1, 0x7FF0_0000_0000_0000)),
                1 => 97_000 + (random.NextDouble() * 100),
                2 => Math.Round(random.NextDouble() * 1e6, random.Next(0, 9)),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64(1, 1L << 53)), // subnormals and tiny values
            };
            int count = Digits(value, digits, out int point);
            string shortest = value.ToString("R", CultureInfo.InvariantCulture);
            string ours = Encoding.ASCII.GetString(digits[..count]);
            Assert.True(ours == DotNetDigits(value), $"{value:E16}: ours {ours}e{point}, .NET {shortest}");
            Assert.Equal(value, double.Parse($"0.{ours}e{point}", CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    [InlineData(2.2250738585072014E-308)]
    [InlineData(2.2250738585072009E-308)]
    [InlineData(1.0)]
    [InlineData(9007199254740993.0)]
    [InlineData(1e23)]
    [InlineData(1.5e-323)]
    [InlineData(0.1)]
    public void Digits_Boundaries(double value)
    {
        Span<byte> digits = stackalloc byte[24];
        int count = Digits(value, digits, out int point);
        Assert.Equal(value, double.Parse($"0.{Encoding.ASCII.GetString(digits[..count])}e{point}", CultureInfo.InvariantCulture));
        Assert.Equal(DotNetDigits(value), Encoding.ASCII.GetString(digits[..count]));
    }

    [Fact]
    public void WriteDigits_EveryCount_WithLeadingZeros_IntoExactAndRoomyDestinations()
    {
        // Ten digits and more with room to spare take the vector path, the rest the scalar one.
        var random = new Random(5);
        for (int i = 0; i < 400_000; i++)
        {
            int count = 1 + (i % 20);
            int size = random.Next(2) == 0 ? count : random.Next(1, count + 1); // some with leading zeros
            ulong value = ((ulong)random.NextInt64() << 1) ^ (ulong)random.Next();
            if (size <= 18)
            {
                value %= ShortestDigits.PowerOf10(size);
            }
            else if (size == 19)
            {
                value %= 10_000_000_000_000_000_000;
            }

            string expected = value.ToString("D" + count.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            byte[] exact = new byte[count];
            ShortestDigits.WriteDigits(exact, value, count);
            Assert.Equal(expected, Encoding.ASCII.GetString(exact));
            byte[] roomy = new byte[count + 17];
            ShortestDigits.WriteDigits(roomy, value, count);
            Assert.Equal(expected, Encoding.ASCII.GetString(roomy, 0, count));
        }
    }

    [Fact]
    public void WriteWithPoint_EveryCountAndEveryPlaceOfThePoint()
    {
        var random = new Random(8);
        for (int count = 2; count <= 17; count++)
        {
            for (int whole = 1; whole < count; whole++)
            {
                for (int i = 0; i < 200; i++)
                {
                    ulong value = (((ulong)random.NextInt64() << 1) ^ (ulong)random.Next()) % (count == 17 ? 100_000_000_000_000_000 : ShortestDigits.PowerOf10(count));
                    string digits = value.ToString("D" + count.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                    string expected = digits[..whole] + "." + digits[whole..];
                    byte[] destination = new byte[20];
                    if (!ShortestDigits.TryWriteWithPoint(destination, value, count, whole))
                    {
                        return; // no SSSE3 here: the scalar path is what the other tests cover
                    }

                    Assert.Equal(expected, Encoding.ASCII.GetString(destination, 0, count + 1));
                }
            }
        }

        Assert.False(ShortestDigits.TryWriteWithPoint(new byte[17], 12345, 5, 2)); // too little room
    }

    [Fact]
    public void Zero_IsRefused_RatherThanLoopedOn()
    {
        // Callers write zero themselves ("0.0"); its digits would strip trailing zeros forever.
        Assert.Throws<ArgumentOutOfRangeException>(() => ShortestDigits.Significand(0.0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShortestDigits.Significand(-0.0, out _));
    }

    private static string DotNetDigits(double value) =>
        value.ToString("R", CultureInfo.InvariantCulture).Split('E')[0].Replace(".", "", StringComparison.Ordinal).Trim('0');

    // The oracle, by exact arithmetic on value = m·2^q and candidates d·10^e: ours reads back as the
    // value; neither decimal of one digit fewer that brackets the value does (so none does); and
    // neither neighbour with as many digits that also reads back is nearer (a tie goes to even).
    private static void AssertShortestAndNearest(double value)
    {
        ulong digits = ShortestDigits.Significand(value, out int exponent);
        string text = $"{digits}e{exponent}";
        Assert.True(ReadsBack(digits, exponent, value), $"{value:R}: {text} reads back as another double");

        (BigInteger valueNumerator, BigInteger valueDenominator) = Exact(value);
        if (digits >= 10)
        {
            // The two decimals of one digit fewer around the value: ⌊value / 10^(e+1)⌋ and the next.
            (BigInteger n, BigInteger d) = Decimal(BigInteger.One, exponent + 1);
            BigInteger below = valueNumerator * d / (valueDenominator * n);
            foreach (BigInteger shorter in new[] { below, below + 1 })
            {
                Assert.False(shorter > 0 && ReadsBack((ulong)shorter, exponent + 1, value), $"{value:R}: {shorter}e{exponent + 1} is shorter than {text}");
            }
        }

        BigInteger ours = Distance(digits, exponent, valueNumerator, valueDenominator, out BigInteger oursScale);
        foreach (ulong neighbour in new[] { digits - 1, digits + 1 })
        {
            if (neighbour == 0 || !ReadsBack(neighbour, exponent, value))
            {
                continue;
            }

            BigInteger theirs = Distance(neighbour, exponent, valueNumerator, valueDenominator, out BigInteger theirsScale);
            int comparison = (theirs * oursScale).CompareTo(ours * theirsScale);
            Assert.True(comparison > 0 || (comparison == 0 && digits % 2 == 0), $"{value:R}: {neighbour}e{exponent} is nearer than {text}");
        }
    }

    private static bool ReadsBack(ulong digits, int exponent, double value) =>
        double.Parse($"{digits}e{exponent}", CultureInfo.InvariantCulture) == value;

    private static (BigInteger Numerator, BigInteger Denominator) Exact(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)(bits >> 52) & 0x7FF;
        long m = bits & ((1L << 52) - 1);
        int q = biased == 0 ? -1074 : biased - 1075;
        if (biased != 0)
        {
            m |= 1L << 52;
        }

        return q >= 0 ? (new BigInteger(m) << q, BigInteger.One) : (new BigInteger(m), BigInteger.One << -q);
    }

    private static (BigInteger Numerator, BigInteger Denominator) Decimal(BigInteger digits, int exponent) =>
        exponent >= 0 ? (digits * BigInteger.Pow(10, exponent), BigInteger.One) : (digits, BigInteger.Pow(10, -exponent));

    // |d·10^e − value| as a numerator over the returned scale.
    private static BigInteger Distance(ulong digits, int exponent, BigInteger valueNumerator, BigInteger valueDenominator, out BigInteger scale)
    {
        (BigInteger n, BigInteger d) = Decimal(digits, exponent);
        scale = d * valueDenominator;
        return BigInteger.Abs((n * valueDenominator) - (valueNumerator * d));
    }
}
