using System.Buffers;
using System.Runtime.Intrinsics;
using System.Globalization;
using Btc.Rx.Time;

namespace Btc.Rx.Serialization;

/// <summary>
/// The pieces of the topic format, written straight to UTF-8: the separators <c>", "</c> and
/// <c>": "</c>, strings with ASCII-only escapes, and floats in Python's <c>repr</c> form (shortest
/// round-trip digits, <c>20.0</c> for whole numbers, an exponent below 1e-4 and from 1e16). That is
/// byte for byte what SEMANTICS shows and what the lab's Python consumers print, which
/// <see cref="System.Text.Json.Utf8JsonWriter"/> cannot produce (it writes neither the spaces nor
/// <c>20.0</c>).
/// </summary>
public static class JsonText
{
    /// <summary>The most bytes a number takes: <c>-1.2345678901234567e-308</c> is 24.</summary>
    public const int MaxNumberBytes = 32;

    /// <summary>Writes raw UTF-8 bytes, such as a literal <c>{"symbol": "</c>.</summary>
    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(utf8);
    }

    /// <summary>Writes a JSON string with quotes, escaping quotes, backslashes, control and non-ASCII characters.</summary>
    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        var writer = new JsonSpanWriter(output.GetSpan(JsonSpanWriter.MaxStringBytes(value.Length)));
        writer.String(value);
        output.Advance(writer.Written);
    }

    /// <summary>Writes a timestamp as a JSON string, <c>"2026-11-24T10:52:14.100Z"</c>.</summary>
    public static void WriteTimestamp(IBufferWriter<byte> output, long unixMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new JsonSpanWriter(output.GetSpan(EventTime.TextLength + 2));
        writer.Timestamp(unixMilliseconds);
        output.Advance(writer.Written);
    }

    /// <summary>Writes a finite double in Python's <c>repr</c> form: <c>104235.12</c>, <c>20.0</c>, <c>1e-05</c>, <c>1e+16</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite, which JSON cannot hold.</exception>
    public static void WriteNumber(IBufferWriter<byte> output, double value)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> span = output.GetSpan(MaxNumberBytes);
        output.Advance(FormatNumber(value, span));
    }

    /// <summary>Formats a finite double in Python's <c>repr</c> form into <paramref name="destination"/> (32 bytes suffice).</summary>
    /// <returns>The number of bytes of the number; bytes of <paramref name="destination"/> after them may have been written over.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    /// <remarks>
    /// The digits go straight to their place in the text; this runs twelve times per moving record,
    /// and the serializers spend most of their time here.
    /// </remarks>
    public static int FormatNumber(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "NaN and infinity cannot be written as JSON numbers.");
        }

        int n = 0;
        if (double.IsNegative(value))
        {
            destination[n++] = (byte)'-';
        }

        if (value == 0)
        {
            "0.0"u8.CopyTo(destination[n..]);
            return n + 3;
        }

        ulong significand = ShortestDigits.Significand(Math.Abs(value), out int exponent);
        int digitCount = ShortestDigits.DigitCount(significand);
        int pointPosition = digitCount + exponent; // value = 0.d1d2d3… × 10^pointPosition
        if (pointPosition > 0 && pointPosition < digitCount)
        {
            // 104235.12: the digits with the point among them.
            return WithPoint(destination, n, significand, digitCount, pointPosition);
        }

        if (pointPosition >= digitCount && pointPosition <= 16)
        {
            // 20.0, 123456789.0: the digits, zeros up to the point, ".0".
            ShortestDigits.WriteDigits(destination[n..], significand, digitCount);
            n += digitCount;
            n = Zeros(destination, n, pointPosition - digitCount);
            destination[n++] = (byte)'.';
            destination[n++] = (byte)'0';
            return n;
        }

        if (pointPosition <= 0 && pointPosition > -4)
        {
            // 0.000123: "0.", zeros after the point, the digits.
            destination[n++] = (byte)'0';
            destination[n++] = (byte)'.';
            n = Zeros(destination, n, -pointPosition);
            ShortestDigits.WriteDigits(destination[n..], significand, digitCount);
            return n + digitCount;
        }

        // 1e-05, 1.2345678901234567e+19: one digit, the rest after a point, an exponent of two digits at least.
        if (digitCount > 1)
        {
            n = WithPoint(destination, n, significand, digitCount, wholeDigits: 1);
        }
        else
        {
            destination[n++] = (byte)('0' + significand);
        }

        int power = pointPosition - 1;
        destination[n++] = (byte)'e';
        destination[n++] = power < 0 ? (byte)'-' : (byte)'+';
        power = Math.Abs(power);
        if (power < 10)
        {
            destination[n++] = (byte)'0';
        }

        power.TryFormat(destination[n..], out int powerLength, default, CultureInfo.InvariantCulture);
        return n + powerLength;
    }

    // The digits of the significand with a point after the first wholeDigits of them; returns the end.
    private static int WithPoint(Span<byte> destination, int at, ulong significand, int digitCount, int wholeDigits)
    {
        if (ShortestDigits.TryWriteWithPoint(destination[at..], significand, digitCount, wholeDigits))
        {
            return at + digitCount + 1;
        }

        if (destination.Length - at >= wholeDigits + 17)
        {
            // All the digits, then the fraction (16 digits at most) moved one place right in one
            // 16-byte load and store to make room for the point; the bytes past the number are
            // scratch the caller writes over.
            ShortestDigits.WriteDigits(destination[at..], significand, digitCount);
            Span<byte> fraction = destination.Slice(at + wholeDigits, 17);
            Vector128<byte> moved = Vector128.Create<byte>(fraction);
            moved.CopyTo(fraction[1..]);
            fraction[0] = (byte)'.';
            return at + digitCount + 1;
        }

        // Without room for the 16-byte move: split the digits by a division.
        int fractionDigits = digitCount - wholeDigits;
        ulong scale = ShortestDigits.PowerOf10(fractionDigits);
        ulong whole = significand / scale;
        ShortestDigits.WriteDigits(destination[at..], whole, wholeDigits);
        at += wholeDigits;
        destination[at++] = (byte)'.';
        ShortestDigits.WriteDigits(destination[at..], significand - (whole * scale), fractionDigits);
        return at + fractionDigits;
    }

    // At most 16 zeros (97000.0 needs 3): a loop, where Span.Fill is a call.
    private static int Zeros(Span<byte> destination, int at, int count)
    {
        Span<byte> zeros = destination.Slice(at, count);
        for (int i = 0; i < zeros.Length; i++)
        {
            zeros[i] = (byte)'0';
        }

        return at + count;
    }
}
