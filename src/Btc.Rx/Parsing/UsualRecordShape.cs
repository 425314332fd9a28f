using System.Runtime.CompilerServices;

namespace Btc.Rx.Parsing;

/// <summary>
/// Recognizes the one shape nearly every <c>btc-price</c> value has —
/// <c>{"symbol": "…", "price": 123.45, "timestamp": "…"}</c>, fields in this order and nothing else —
/// with literal comparisons and vector searches, so the parser can skip the general JSON reader for it.
/// </summary>
/// <remarks>
/// A match promises that the general reader sees the same three values and nothing more: the value
/// is one JSON object, with JSON white space only between tokens and after it; the symbol and the
/// timestamp are strings of printable ASCII without escapes (1 to 64 bytes for the symbol); the price
/// is a JSON number without sign or exponent. Anything else (another order, more fields, escapes,
/// non-ASCII, a negative price) is not a match, and the general reader decides it, with its reasons.
/// </remarks>
internal static class UsualRecordShape
{
    /// <summary>Finds the three values' text, or returns false when the value has another shape.</summary>
    public static bool TryMatch(ReadOnlySpan<byte> utf8, out Range symbol, out Range price, out Range timestamp)
    {
        symbol = price = timestamp = default;
        int i = SkipWhiteSpace(utf8, 0);
        if (!TryExpect(utf8, ref i, (byte)'{')
            || !TryExpectName(utf8, ref i, "\"symbol\""u8)
            || !TryString(utf8, ref i, PriceRecordParser.MaxSymbolLength, out symbol)
            || !TryExpect(utf8, ref i, (byte)',')
            || !TryExpectName(utf8, ref i, "\"price\""u8)
            || !TryUnsignedNumber(utf8, ref i, out price)
            || !TryExpect(utf8, ref i, (byte)',')
            || !TryExpectName(utf8, ref i, "\"timestamp\""u8)
            || !TryString(utf8, ref i, int.MaxValue, out timestamp)
            || !TryExpect(utf8, ref i, (byte)'}'))
        {
            return false;
        }

        return i == utf8.Length;
    }

    // The byte after optional white space, then optional white space after it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryExpect(ReadOnlySpan<byte> utf8, ref int i, byte token)
    {
        i = SkipWhiteSpace(utf8, i);
        if (i >= utf8.Length || utf8[i] != token)
        {
            return false;
        }

        i = SkipWhiteSpace(utf8, i + 1);
        return true;
    }

    // A property name exactly as written (no escapes), then its colon.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryExpectName(ReadOnlySpan<byte> utf8, ref int i, ReadOnlySpan<byte> quotedName)
    {
        if (!utf8[i..].StartsWith(quotedName))
        {
            return false;
        }

        i += quotedName.Length;
        return TryExpect(utf8, ref i, (byte)':');
    }

    // A string of 1 to maxLength printable ASCII bytes without a backslash; the range excludes the quotes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryString(ReadOnlySpan<byte> utf8, ref int i, int maxLength, out Range content)
    {
        content = default;
        if (i >= utf8.Length || utf8[i] != '"')
        {
            return false;
        }

        int start = i + 1;
        int length = utf8[start..].IndexOf((byte)'"');
        if (length <= 0 || length > maxLength)
        {
            return false;
        }

        ReadOnlySpan<byte> text = utf8.Slice(start, length);
        if (text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) || text.Contains((byte)'\\'))
        {
            return false;
        }

        content = start..(start + length);
        i = start + length + 1;
        return true;
    }

    // JSON's number grammar without the minus sign and the exponent: 0 or a digit 1-9 and more
    // digits, then optionally a point and at least one digit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryUnsignedNumber(ReadOnlySpan<byte> utf8, ref int i, out Range number)
    {
        number = default;
        int start = i;
        if (i >= utf8.Length || !IsDigit(utf8[i]))
        {
            return false;
        }

        if (utf8[i] == '0')
        {
            i++;
        }
        else
        {
            i = SkipDigits(utf8, i);
        }

        if (i < utf8.Length && utf8[i] == '.')
        {
            int fraction = i + 1;
            i = SkipDigits(utf8, fraction);
            if (i == fraction)
            {
                return false;
            }
        }

        // What follows must end the number: a digit after a leading 0, an exponent or anything
        // else is for the general reader (the next token is checked by the caller).
        if (i < utf8.Length && (IsDigit(utf8[i]) || utf8[i] is (byte)'e' or (byte)'E'))
        {
            return false;
        }

        number = start..i;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipDigits(ReadOnlySpan<byte> utf8, int i)
    {
        while (i < utf8.Length && IsDigit(utf8[i]))
        {
            i++;
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhiteSpace(ReadOnlySpan<byte> utf8, int i)
    {
        while (i < utf8.Length && utf8[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
