using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Btc.Rx.Serialization;

/// <summary>
/// The shortest decimal that rounds to a double, and of several such the nearest (Python's
/// <c>repr</c>), found with Jeon's Dragonbox method: one 128-bit multiplication by a cached power of
/// ten in the common case, instead of .NET's general formatter, which dominated the cost of writing
/// the moving and z-score topics.
/// </summary>
/// <remarks>
/// The table of 128-bit powers of ten is computed once with BigInteger rather than pasted in as
/// constants, so it can be checked by reading. Tests check the digits by exact arithmetic (they
/// round-trip, no shorter decimal does, no decimal as short is nearer) on every power of two, the
/// smallest subnormals and hundreds of thousands of other doubles, and against .NET's on millions.
/// </remarks>
internal static class ShortestDigits
{
    // Digits are found in blocks of κ = 2: the first try divides by 10^(κ+1), the fallback by 10^κ.
    private const int Kappa = 2;
    private const uint BigDivisor = 1000;
    private const uint SmallDivisor = 100;
    private const int MinK = -292;
    private const int MaxK = 326;
    private const int SignificandBits = 52;
    private const int ExponentBias = 1075; // value = significand × 2^(biased exponent − 1075)
    private static readonly (ulong High, ulong Low)[] PowersOfTen = BuildTable();

    /// <summary>The shortest decimal of a positive finite double as significand × 10^exponent, without trailing zeros.</summary>
    public static ulong Significand(double value, out int exponent)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        ulong t = bits & ((1UL << SignificandBits) - 1);
        int biased = (int)(bits >> SignificandBits) & 0x7FF;
        ulong significand;
        int e;
        if (biased == 0)
        {
            if (t == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Zero has no significant digits.");
            }

            // Subnormal: no hidden bit, the smallest exponent; the interval is symmetric.
            significand = NormalInterval(t, 1 - ExponentBias, out e);
        }
        else
        {
            ulong c = (1UL << SignificandBits) | t;
            int binaryExponent = biased - ExponentBias;
            int shift = -binaryExponent;
            if (shift > 0 && shift <= SignificandBits && (c >> shift) << shift == c)
            {
                // A whole number below 2^53: its own digits are the shortest.
                (significand, e) = (c >> shift, 0);
            }
            else if (t == 0 && biased > 1)
            {
                // A power of two: the double below is half as far as the one above.
                significand = ShorterInterval(binaryExponent, out e);
            }
            else
            {
                significand = NormalInterval(c, binaryExponent, out e);
            }
        }

        while (significand % 10 == 0)
        {
            significand /= 10;
            e++;
        }

        exponent = e;
        return significand;
    }

    /// <summary>Writes exactly <paramref name="count"/> digits of <paramref name="value"/> (below 10^count), with leading zeros.</summary>
    /// <remarks>
    /// Ten to seventeen digits (the long ones most doubles have) where the destination has 17 bytes:
    /// sixteen digits at once in vector lanes (see <see cref="SixteenDigits"/>) and, for seventeen,
    /// the first by itself; bytes after the digits are written over. Otherwise eight digits at a time
    /// in 32-bit arithmetic, then pairs; each pair is one two-byte load from a table and one two-byte
    /// store. The bounds are checked once, up front.
    /// </remarks>
    public static void WriteDigits(Span<byte> destination, ulong value, int count)
    {
        if ((uint)count > (uint)destination.Length || count > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        // Checked once above: every store below is inside destination[..count], or, on the vector
        // path, inside the 17 bytes it asks for (past count they are scratch).
        ref byte first = ref MemoryMarshal.GetReference(destination);
        if (count is >= 10 and <= 17 && destination.Length >= 17 && Ssse3.IsSupported)
        {
            if (count == 17)
            {
                SeventeenDigits(value, out first).StoreUnsafe(ref first, 1);
            }
            else
            {
                // Sixteen digits with leading zeros, moved left past the zeros that are not wanted.
                Vector128<byte> from = Vector128.Create((byte)(16 - count)) + Vector128<byte>.Indices;
                Ssse3.Shuffle(SixteenDigits(value), from).StoreUnsafe(ref first);
            }

            return;
        }

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

    /// <summary>
    /// Writes the <paramref name="count"/> digits of <paramref name="value"/> with a decimal point after
    /// the first <paramref name="wholeDigits"/> of them (count + 1 bytes), when the vector path can:
    /// the point goes in by a shuffle of the digits in their register, so nothing stored is read
    /// back (a 16-byte load of bytes just stored by another store stalls the core).
    /// </summary>
    /// <returns>False, having written nothing, without SSSE3 or without 18 bytes of room; bytes after
    /// the number are written over otherwise.</returns>
    public static bool TryWriteWithPoint(Span<byte> destination, ulong value, int count, int wholeDigits)
    {
        if (!Ssse3.IsSupported || destination.Length < 18 || count > 17 || (uint)(wholeDigits - 1) >= (uint)(count - 1))
        {
            return false;
        }

        ref byte first = ref MemoryMarshal.GetReference(destination);
        if (count < 17)
        {
            StoreWithPoint(ref first, SixteenDigits(value), count, wholeDigits);
            return true;
        }

        Vector128<byte> rest = SeventeenDigits(value, out first);
        if (wholeDigits == 1)
        {
            Unsafe.Add(ref first, 1) = (byte)'.';
            rest.StoreUnsafe(ref first, 2);
        }
        else
        {
            StoreWithPoint(ref Unsafe.Add(ref first, 1), rest, 16, wholeDigits - 1);
        }

        return true;
    }

    // The last `count` of sixteen digits with '.' after the first `wholeDigits` of them: count + 1
    // bytes, the sixteenth and seventeenth stored past the vector when count is 16.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWithPoint(ref byte destination, Vector128<byte> digits, int count, int wholeDigits)
    {
        Vector128<byte> position = Vector128<byte>.Indices;
        Vector128<byte> point = Vector128.Create((byte)wholeDigits);
        // Output byte i takes digit (16 − count) + i before the point and one less after it (the
        // comparison's all-ones is −1).
        Vector128<byte> from = Vector128.Create((byte)(16 - count)) + position + Vector128.GreaterThan(position, point);
        Vector128<byte> text = Vector128.ConditionalSelect(Vector128.Equals(position, point), Vector128.Create((byte)'.'), Ssse3.Shuffle(digits, from));
        text.StoreUnsafe(ref destination);
        if (count == 16)
        {
            Unsafe.Add(ref destination, 16) = digits.GetElement(15);
        }
    }

    // The first of seventeen digits as ASCII into `head`, and the other sixteen.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> SeventeenDigits(ulong value, out byte head)
    {
        ulong first = value / 10_000_000_000_000_000;
        head = (byte)('0' + first);
        return SixteenDigits(value - (first * 10_000_000_000_000_000));
    }

    // The sixteen digits of a value below 10^16 as ASCII, most significant first: split in scalar
    // code into four numbers below 10^4, each split in its 32-bit lane into two below 100
    // (x·5243 >> 19 is x / 100 there), each of those in its 16-bit lane into two digits
    // (y·103 >> 10 is y / 10 there), which land in memory order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> SixteenDigits(ulong value)
    {
        ulong high = value / 100_000_000;
        uint upper = (uint)high, lower = (uint)(value - (high * 100_000_000));
        uint a = upper / 10_000, c = lower / 10_000;
        Vector128<uint> quads = Vector128.Create(a, upper - (a * 10_000), c, lower - (c * 10_000));
        Vector128<uint> hundreds = (quads * 5243) >>> 19;
        Vector128<ushort> pairs = (hundreds | ((quads - (hundreds * 100)) << 16)).AsUInt16();
        Vector128<ushort> tens = (pairs * 103) >>> 10;
        Vector128<ushort> digits = tens | ((pairs - (tens * 10)) << 8);
        return digits.AsByte() + Vector128.Create((byte)'0');
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

    // The value c·2^e rounds from the interval (c ∓ ½)·2^e, endpoints included when c is even. With
    // k chosen so that the interval's width times 10^k lies in [10^κ, 10^(κ+1)), zi is its upper end
    // times 10^k and deltai its width; a multiple of 10^(κ+1) in the interval gives the shortest
    // digits, otherwise one digit more, rounded to the nearest.
    private static ulong NormalInterval(ulong c, int e, out int exponent)
    {
        bool includeEndpoints = (c & 1) == 0;
        int minusK = FloorLog10Pow2(e) - Kappa;
        (ulong cacheHigh, ulong cacheLow) = PowersOfTen[-minusK - MinK];
        int beta = e + FloorLog2Pow10(-minusK);
        uint deltai = (uint)(cacheHigh >> (63 - beta));
        ulong twoC = c << 1;
        ulong zi = MultiplyHigh(((twoC | 1) << beta), cacheHigh, cacheLow, out bool ziIsInteger);
        ulong significand = zi / BigDivisor;
        uint r = (uint)(zi - (significand * BigDivisor));
        if (r < deltai)
        {
            if (r == 0 && ziIsInteger && !includeEndpoints)
            {
                // The candidate is the upper end itself, which rounds up to the next double.
                significand--;
                r = BigDivisor;
                goto SmallDivisor;
            }
        }
        else if (r > deltai)
        {
            goto SmallDivisor;
        }
        else
        {
            // Exactly at the lower end's integer part: compare the fractional parts.
            (bool xParity, bool xIsInteger) = MultiplyParity(twoC - 1, cacheHigh, cacheLow, beta);
            if (!(xParity | (xIsInteger & includeEndpoints)))
            {
                goto SmallDivisor;
            }
        }

        exponent = minusK + Kappa + 1;
        return significand;

    SmallDivisor:
        // One digit more: the value times 10^k rounded to the nearest multiple of 10^κ, from the
        // distance to the upper end.
        significand *= 10;
        exponent = minusK + Kappa;
        uint distance = r - (deltai / 2) + (SmallDivisor / 2);
        bool approximateParity = ((distance ^ (SmallDivisor / 2)) & 1) != 0;
        uint quotient = distance / SmallDivisor;
        bool divisible = distance == quotient * SmallDivisor;
        significand += quotient;
        if (divisible)
        {
            // The estimate can be one too high, or a tie: decide from the exact value's parity.
            (bool yParity, bool yIsInteger) = MultiplyParity(twoC, cacheHigh, cacheLow, beta);
            if (yParity != approximateParity)
            {
                significand--;
            }
            else if (yIsInteger && (significand & 1) != 0)
            {
                significand--; // a tie goes to the even digit
            }
        }

        return significand;
    }

    // A power of two 2^52·2^e: the interval is [(2^52 − ¼)·2^e, (2^52 + ½)·2^e], both ends included.
    private static ulong ShorterInterval(int e, out int exponent)
    {
        int minusK = (int)(((e * 631_305L) - 261_663) >> 21); // ⌊e·log10 2 − log10(4/3)⌋
        int beta = e + FloorLog2Pow10(-minusK);
        ulong cache = PowersOfTen[-minusK - MinK].High;
        ulong xi = (cache - (cache >> (SignificandBits + 2))) >> (64 - SignificandBits - 1 - beta);
        ulong zi = (cache + (cache >> (SignificandBits + 1))) >> (64 - SignificandBits - 1 - beta);
        if (e is < 2 or > 3)
        {
            xi++; // the lower end is not an integer there: the first integer inside is the next
        }

        ulong significand = zi / 10;
        if (significand * 10 >= xi)
        {
            exponent = minusK + 1;
            return significand;
        }

        significand = ((cache >> (64 - SignificandBits - 2 - beta)) + 1) / 2;
        exponent = minusK;
        if (e == -77 && (significand & 1) != 0)
        {
            significand--; // the one exponent where the rounded value is a tie: to even
        }
        else if (significand < xi)
        {
            significand++;
        }

        return significand;
    }

    // The upper 64 bits of the 192-bit product x·cache, and whether the lower 128 are zero.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyHigh(ulong x, ulong cacheHigh, ulong cacheLow, out bool restIsZero)
    {
        ulong high = Math.BigMul(x, cacheHigh, out ulong low);
        ulong carry = Math.BigMul(x, cacheLow, out _);
        ulong middle = low + carry;
        restIsZero = middle == 0;
        return high + (middle < low ? 1UL : 0UL);
    }

    // From the lower 128 bits of x·cache: whether the integer part of (x/2)·2^e·10^k is odd, and
    // whether it has no fraction.
    private static (bool Parity, bool IsInteger) MultiplyParity(ulong x, ulong cacheHigh, ulong cacheLow, int beta)
    {
        ulong high = x * cacheHigh;
        ulong carry = Math.BigMul(x, cacheLow, out ulong low);
        high += carry;
        return (((high >> (64 - beta)) & 1) != 0, ((high << beta) | (low >> (64 - beta))) == 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorLog10Pow2(int e) => (int)((e * 661_971_961_083L) >> 41);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorLog2Pow10(int e) => (int)((e * 913_124_641_741L) >> 38);

    // For each k: 10^k·2^(127 − ⌊k·log2 10⌋), between 2^127 and 2^128, rounded up.
    private static (ulong High, ulong Low)[] BuildTable()
    {
        var table = new (ulong, ulong)[MaxK - MinK + 1];
        for (int k = MinK; k <= MaxK; k++)
        {
            BigInteger power = BigInteger.Pow(10, Math.Abs(k));
            long log2 = k >= 0 ? (long)power.GetBitLength() - 1 : -(long)power.GetBitLength();
            BigInteger numerator = k >= 0 ? power : BigInteger.One;
            BigInteger denominator = k >= 0 ? BigInteger.One : power;
            long shift = 127 - log2;
            if (shift >= 0)
            {
                numerator <<= (int)shift;
            }
            else
            {
                denominator <<= (int)-shift;
            }

            BigInteger rounded = (numerator + denominator - 1) / denominator;
            table[k - MinK] = ((ulong)(rounded >> 64), (ulong)(rounded & ulong.MaxValue));
        }

        return table;
    }
}
