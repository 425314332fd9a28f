using System.Buffers;
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
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static int FormatNumber(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "NaN and infinity cannot be written as JSON numbers.");
        }

        Span<byte> digits = stackalloc byte[24];
        bool negative = double.IsNegative(value);
        int digitCount = 0;
        int pointPosition = 0; // value = 0.d1d2d3… × 10^pointPosition
        if (value != 0)
        {
            digitCount = ShortestDigits.Write(Math.Abs(value), digits, out pointPosition);
        }

        int n = 0;
        if (negative)
        {
            destination[n++] = (byte)'-';
        }

        if (digitCount == 0)
        {
            "0.0"u8.CopyTo(destination[n..]);
            return n + 3;
        }

        if (pointPosition > -4 && pointPosition <= 16)
        {
            if (pointPosition <= 0)
            {
                destination[n++] = (byte)'0';
                destination[n++] = (byte)'.';
                for (int z = 0; z < -pointPosition; z++)
                {
                    destination[n++] = (byte)'0';
                }

                digits[..digitCount].CopyTo(destination[n..]);
                return n + digitCount;
            }

            if (pointPosition >= digitCount)
            {
                digits[..digitCount].CopyTo(destination[n..]);
                n += digitCount;
                for (int z = digitCount; z < pointPosition; z++)
                {
                    destination[n++] = (byte)'0';
                }

                destination[n++] = (byte)'.';
                destination[n++] = (byte)'0';
                return n;
            }

            digits[..pointPosition].CopyTo(destination[n..]);
            n += pointPosition;
            destination[n++] = (byte)'.';
            digits[pointPosition..digitCount].CopyTo(destination[n..]);
            return n + digitCount - pointPosition;
        }

        destination[n++] = digits[0];
        if (digitCount > 1)
        {
            destination[n++] = (byte)'.';
            digits[1..digitCount].CopyTo(destination[n..]);
            n += digitCount - 1;
        }

        int exponent = pointPosition - 1;
        destination[n++] = (byte)'e';
        destination[n++] = exponent < 0 ? (byte)'-' : (byte)'+';
        exponent = Math.Abs(exponent);
        if (exponent < 10)
        {
            destination[n++] = (byte)'0';
        }

        exponent.TryFormat(destination[n..], out int expLength, default, CultureInfo.InvariantCulture);
        return n + expLength;
    }
}
