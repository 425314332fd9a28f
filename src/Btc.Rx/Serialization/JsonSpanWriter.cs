using System.Globalization;
using System.Runtime.CompilerServices;
using Btc.Rx.Time;

namespace Btc.Rx.Serialization;

/// <summary>
/// Writes the topic format into one span with a cursor, so a whole record costs one
/// <c>GetSpan</c>/<c>Advance</c> pair instead of a buffer-writer call per piece.
/// </summary>
internal ref struct JsonSpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Written { get; private set; }

    /// <summary>The most bytes <see cref="String"/> writes for a string of <paramref name="length"/> characters.</summary>
    public static int MaxStringBytes(int length) => (length * 6) + 2;

    // Inlined so that each literal's length is a constant and the copy is unrolled, not a memmove call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Raw(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(_destination[Written..]);
        Written += utf8.Length;
    }

    /// <summary>Copies a few bytes of variable length (a window's name) byte by byte: shorter than a memmove call.</summary>
    public void Short(ReadOnlySpan<byte> utf8)
    {
        Span<byte> span = _destination.Slice(Written, utf8.Length);
        for (int i = 0; i < utf8.Length; i++)
        {
            span[i] = utf8[i];
        }

        Written += utf8.Length;
    }

    public void String(string value)
    {
        if (TryPlainString(value))
        {
            return;
        }

        Span<byte> span = _destination[Written..];
        int n = 0;
        span[n++] = (byte)'"';
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': span[n++] = (byte)'\\'; span[n++] = (byte)'"'; break;
                case '\\': span[n++] = (byte)'\\'; span[n++] = (byte)'\\'; break;
                case '\n': span[n++] = (byte)'\\'; span[n++] = (byte)'n'; break;
                case '\r': span[n++] = (byte)'\\'; span[n++] = (byte)'r'; break;
                case '\t': span[n++] = (byte)'\\'; span[n++] = (byte)'t'; break;
                case '\b': span[n++] = (byte)'\\'; span[n++] = (byte)'b'; break;
                case '\f': span[n++] = (byte)'\\'; span[n++] = (byte)'f'; break;
                case < ' ' or > '\u007f':
                    // Python's json.dumps escapes every non-ASCII character (ensure_ascii).
                    span[n++] = (byte)'\\';
                    span[n++] = (byte)'u';
                    ((int)c).TryFormat(span[n..], out int written, "x4", CultureInfo.InvariantCulture);
                    n += written;
                    break;
                default: span[n++] = (byte)c; break;
            }
        }

        span[n++] = (byte)'"';
        Written += n;
    }

    // Symbols are printable ASCII without quotes or backslashes: one test per character and a
    // straight copy, where the escaping switch cost several compares per character.
    private bool TryPlainString(string value)
    {
        Span<byte> span = _destination.Slice(Written, value.Length + 2);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < ' ' || c >= '\u0080' || c == '"' || c == '\\')
            {
                return false;
            }

            span[i + 1] = (byte)c;
        }

        span[0] = (byte)'"';
        span[^1] = (byte)'"';
        Written += span.Length;
        return true;
    }

    public void Timestamp(long unixMilliseconds)
    {
        Span<byte> span = _destination[Written..];
        span[0] = (byte)'"';
        EventTime.WriteUtf8(unixMilliseconds, span[1..]);
        span[EventTime.TextLength + 1] = (byte)'"';
        Written += EventTime.TextLength + 2;
    }

    public void Number(double value) => Written += JsonText.FormatNumber(value, _destination[Written..]);

    /// <summary>
    /// Whole milliseconds as seconds, exactly as <see cref="Number"/> writes <c>ms / 1000.0</c>: the
    /// decimal itself with its trailing zeros dropped (<c>0.1</c>, <c>1.234</c>, <c>20.0</c>), which is
    /// the shortest text that reads back as that double. Without the shortest-digits search.
    /// </summary>
    public void Seconds(long milliseconds)
    {
        if (milliseconds < 0 || milliseconds >= 1_000_000_000_000_000)
        {
            // Negative or 10^15 s and more (where the exponent form begins): the general path.
            Number(milliseconds / 1000.0);
            return;
        }

        long whole = Math.DivRem(milliseconds, 1000, out long fraction);
        Span<byte> span = _destination[Written..];
        whole.TryFormat(span, out int n, default, CultureInfo.InvariantCulture);
        span[n++] = (byte)'.';
        if (fraction == 0)
        {
            span[n++] = (byte)'0';
        }
        else
        {
            span[n++] = (byte)('0' + (fraction / 100));
            fraction %= 100;
            if (fraction != 0)
            {
                span[n++] = (byte)('0' + (fraction / 10));
                fraction %= 10;
                if (fraction != 0)
                {
                    span[n++] = (byte)('0' + fraction);
                }
            }
        }

        Written += n;
    }
}
