using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Btc.Rx.Serialization;

/// <summary>
/// The shortest decimal that rounds to a double (the digits of <c>double.ToString("R")</c>), found
/// with Giulietti's Schubfach method: three 128-bit multiplications per number instead of .NET's
/// general formatter, which dominated the cost of writing the moving and z-score topics.
/// </summary>
/// <remarks>
/// The table of 126-bit approximations of powers of ten is computed once with BigInteger rather than
/// pasted in as constants, so it can be checked by reading. Tests compare the digits with .NET's on
/// millions of doubles.
/// </remarks>
internal static class ShortestDigits
{
    private const int KMin = -324;
    private const int KMax = 292;
    private const int QMin = -1074;
    private const long CMin = 1L << 52;
    private const long CTiny = 3;
    private const long Mask63 = long.MaxValue;
    private static readonly (long G1, long G0)[] PowersOfTen = BuildTable();

    /// <summary>Writes the significant digits of a positive finite double; value = 0.d1d2… × 10^pointPosition.</summary>
    /// <returns>The number of digits (1 to 17).</returns>
    public static int Write(double value, Span<byte> digits, out int pointPosition)
    {
        ulong significand = Significand(value, out int exponent);
        int count = DigitCount(significand);
        WriteDigits(digits, significand, count);
        pointPosition = count + exponent;
        return count;
    }

    /// <summary>The shortest decimal of a positive finite double as significand × 10^exponent, without trailing zeros.</summary>
    public static ulong Significand(double value, out int exponent)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        long t = bits & (CMin - 1);
        int bq = (int)(bits >> 52) & 0x7FF;
        long f;
        int e;
        if (bq != 0)
        {
            int mq = -QMin + 1 - bq;
            long c = CMin | t;
            if (mq > 0 && mq < 53 && (c >> mq) << mq == c)
            {
                // A whole number below 2^53: its own digits are the shortest.
                (f, e) = (c >> mq, 0);
            }
            else
            {
                (f, e) = ToDecimal(-mq, c, 0);
            }
        }
        else
        {
            // The two smallest subnormals are outside the method's range (Java prints them with two
            // digits on purpose); their shortest forms are 5e-324 and 1e-323.
            (f, e) = t < CTiny ? (t == 1 ? (5L, -324) : (1L, -323)) : ToDecimal(QMin, t, 0);
        }

        ulong u = (ulong)f;
        while (u % 10 == 0)
        {
            u /= 10;
            e++;
        }

        exponent = e;
        return u;
    }

    /// <summary>Writes exactly <paramref name="count"/> digits of <paramref name="value"/> (below 10^count), with leading zeros.</summary>
    /// <remarks>
    /// Eight digits at a time in 32-bit arithmetic, then pairs; each pair is one two-byte load from a
    /// table and one two-byte store. The bounds are checked once, up front.
    /// </remarks>
    public static void WriteDigits(Span<byte> destination, ulong value, int count)
    {
        if ((uint)count > (uint)destination.Length || count > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        // Checked once above: every store below is inside destination[..count].
        ref byte first = ref MemoryMarshal.GetReference(destination);
        ref byte pairs = ref MemoryMarshal.GetReference(TwoDigits);
        int position = count;
        while (position >= 8)
        {
            ulong quotient = value / 100_000_000;
            uint block = (uint)(value - (quotient * 100_000_000));
            value = quotient;
            position -= 8;
            uint high = block / 10_000, low = block - (high * 10_000);
            uint hh = high / 100, lh = low / 100;
            Pair(ref Unsafe.Add(ref first, position), ref pairs, hh);
            Pair(ref Unsafe.Add(ref first, position + 2), ref pairs, high - (hh * 100));
            Pair(ref Unsafe.Add(ref first, position + 4), ref pairs, lh);
            Pair(ref Unsafe.Add(ref first, position + 6), ref pairs, low - (lh * 100));
        }

        uint rest = (uint)value;
        while (position >= 2)
        {
            position -= 2;
            uint next = rest / 100;
            Pair(ref Unsafe.Add(ref first, position), ref pairs, rest - (next * 100));
            rest = next;
        }

        if (position == 1)
        {
            first = (byte)('0' + rest);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair(ref byte destination, ref byte pairs, uint value) =>
        Unsafe.WriteUnaligned(ref destination, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref pairs, (int)(2 * value))));

    /// <summary>10^<paramref name="exponent"/> for 0 ≤ exponent ≤ 18.</summary>
    public static ulong PowerOf10(int exponent) => (ulong)PowersOf10[exponent];

    private static ReadOnlySpan<byte> TwoDigits =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static ReadOnlySpan<long> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
    ];

    /// <summary>The number of decimal digits of a positive value: log10 from the bit length (1233/4096 ≈ log10 2), corrected by one comparison.</summary>
    public static int DigitCount(ulong value)
    {
        int estimate = ((64 - BitOperations.LeadingZeroCount(value)) * 1233) >> 12;
        return estimate + (value >= (ulong)PowersOf10[estimate] ? 1 : 0);
    }

    private static (long F, int E) ToDecimal(int q, long c, int dk)
    {
        long output = c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != CMin || q == QMin)
        {
            cbl = cb - 2;
            k = FloorLog10Pow2(q);
        }
        else
        {
            cbl = cb - 1;
            k = FloorLog10ThreeQuartersPow2(q);
        }

        int h = q + FloorLog2Pow10(-k) + 2;
        (long g1, long g0) = PowersOfTen[k - KMin];
        long vb = RoundToOdd(g1, g0, cb << h);
        long vbl = RoundToOdd(g1, g0, cbl << h);
        long vbr = RoundToOdd(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 100)
        {
            long sp10 = s / 10 * 10;
            long tp10 = sp10 + 10;
            bool upin = vbl + output <= sp10 << 2;
            bool wpin = (tp10 << 2) + output <= vbr;
            if (upin != wpin)
            {
                return (upin ? sp10 : tp10, k);
            }
        }

        long t = s + 1;
        bool uin = vbl + output <= s << 2;
        bool win = (t << 2) + output <= vbr;
        if (uin != win)
        {
            return (uin ? s : t, k + dk);
        }

        long cmp = vb - ((s + t) << 1);
        return (cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t, k + dk);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long RoundToOdd(long g1, long g0, long cp)
    {
        long x1 = (long)Math.BigMul((ulong)g0, (ulong)cp, out _);
        long y0 = g1 * cp;
        long y1 = (long)Math.BigMul((ulong)g1, (ulong)cp, out _);
        long z = (long)((ulong)y0 >> 1) + x1;
        long vbp = y1 + (long)((ulong)z >> 63);
        return vbp | (long)((ulong)((z & Mask63) + Mask63) >> 63);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorLog10Pow2(int e) => (int)((e * 661_971_961_083L) >> 41);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorLog10ThreeQuartersPow2(int e) => (int)(((e * 661_971_961_083L) - 274_743_187_321L) >> 41);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorLog2Pow10(int e) => (int)((e * 913_124_641_741L) >> 38);

    // For each k: 10^-k = β·2^r with 2^125 ≤ β < 2^126, and g = ⌊β⌋ + 1 split into 63-bit halves.
    private static (long G1, long G0)[] BuildTable()
    {
        var table = new (long, long)[KMax - KMin + 1];
        for (int k = KMin; k <= KMax; k++)
        {
            BigInteger numerator = k <= 0 ? BigInteger.Pow(10, -k) : BigInteger.One;
            BigInteger denominator = k <= 0 ? BigInteger.One : BigInteger.Pow(10, k);
            long log2 = (long)numerator.GetBitLength() - (long)denominator.GetBitLength();
            if (Shift(numerator, -log2) < denominator)
            {
                log2--;
            }

            long r = log2 - 125;
            BigInteger g = (Shift(numerator, -r) / denominator) + 1;
            table[k - KMin] = ((long)(g >> 63), (long)(g & Mask63));
        }

        return table;
    }

    private static BigInteger Shift(BigInteger value, long left) => left >= 0 ? value << (int)left : value >> (int)-left;
}
