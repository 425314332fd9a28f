using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Btc.Rx.Time;

/// <summary>
/// Event time as whole milliseconds since the Unix epoch (UTC), with the ISO 8601 text form every
/// topic uses: <c>2026-11-24T10:52:14.100Z</c> (exactly three fractional digits and a <c>Z</c>).
/// </summary>
/// <remarks>
/// Timestamps are integers so that window edges, lateness and the look-ahead differences are exact;
/// converting to <see cref="DateTimeOffset"/> is only for display.
/// </remarks>
public static class EventTime
{
    /// <summary>The length of the text form in bytes: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public const int TextLength = 24;

    private const long MillisecondsPerDay = 86_400_000;
    private const long MillisecondsPerMinute = 60_000;
    private const long MinutesPerDay = 1440;
    private const int MinutePrefixLength = 17;
    private const int MinuteSlots = 64;

    /// <summary>The smallest timestamp that can be written: 0001-01-01T00:00:00.000Z.</summary>
    public static readonly long MinValue = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    /// <summary>The largest timestamp that can be written: 9999-12-31T23:59:59.999Z.</summary>
    public static readonly long MaxValue = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Formats <paramref name="unixMilliseconds"/> as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside years 1 to 9999.</exception>
    public static string Format(long unixMilliseconds)
    {
        Span<byte> buffer = stackalloc byte[TextLength];
        WriteUtf8(unixMilliseconds, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Writes the 24-byte text form of <paramref name="unixMilliseconds"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside years 1 to 9999, or the destination is shorter than 24 bytes.</exception>
    public static void WriteUtf8(long unixMilliseconds, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unixMilliseconds, MinValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unixMilliseconds, MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, TextLength, nameof(destination));

        long minute = FloorDivRem(unixMilliseconds, MillisecondsPerMinute, out long msOfMinute);

        ref MinuteText? slot = ref s_minutes[(int)minute & (MinuteSlots - 1)];
        MinuteText? prefix = slot;
        if (prefix is null || prefix.Minute != minute)
        {
            prefix = new MinuteText(minute);
            Volatile.Write(ref slot, prefix);
        }

        // 17 bytes as a constant-size copy (checked above: the destination holds 24).
        Unsafe.CopyBlockUnaligned(ref MemoryMarshal.GetReference(destination), ref MemoryMarshal.GetArrayDataReference(prefix.Text), MinutePrefixLength);
        int ms = (int)msOfMinute;
        int seconds = ms / 1000;
        int millis = ms - (seconds * 1000);
        Write2(destination[17..], seconds);
        destination[19] = (byte)'.';
        destination[20] = (byte)('0' + (millis / 100));
        destination[21] = (byte)('0' + (millis / 10 % 10));
        destination[22] = (byte)('0' + (millis % 10));
        destination[23] = (byte)'Z';
    }

    // Division rounding down, so times before 1970 fall in the minute or day they belong to.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long FloorDivRem(long value, long divisor, out long remainder)
    {
        long quotient = Math.DivRem(value, divisor, out remainder);
        if (remainder < 0)
        {
            remainder += divisor;
            quotient--;
        }

        return quotient;
    }

    // Streams write many timestamps of the same minute, from several threads and a few minutes
    // apart (look-ahead results trail the z-scores written beside them by up to their horizon). Each
    // minute's text is an immutable object in a slot of its own, shared by all threads and replaced
    // when a later minute takes the slot. A single shared slot was replaced on nearly every record
    // where two timelines straddle a minute; a thread-static cache cost a TLS lookup per timestamp.
    private static readonly MinuteText?[] s_minutes = new MinuteText?[MinuteSlots];

    /// <summary><c>yyyy-MM-ddTHH:mm:</c> of one minute since the epoch.</summary>
    private sealed class MinuteText
    {
        public MinuteText(long minute)
        {
            Minute = minute;
            long days = FloorDivRem(minute, MinutesPerDay, out long minuteOfDay);

            var (year, month, day) = CivilCalendar.FromDays(days);
            Span<byte> text = Text;
            Write4(text, year);
            text[4] = (byte)'-';
            Write2(text[5..], month);
            text[7] = (byte)'-';
            Write2(text[8..], day);
            text[10] = (byte)'T';
            Write2(text[11..], (int)minuteOfDay / 60);
            text[13] = (byte)':';
            Write2(text[14..], (int)minuteOfDay % 60);
            text[16] = (byte)':';
        }

        public long Minute { get; }

        public byte[] Text { get; } = new byte[MinutePrefixLength];
    }

    /// <summary>Converts a timestamp to a <see cref="DateTimeOffset"/> in UTC.</summary>
    public static DateTimeOffset ToDateTimeOffset(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    /// <summary>
    /// Parses an ISO 8601 date and time with an explicit offset (<c>Z</c> or <c>±hh:mm</c>), such as
    /// <c>2026-11-24T10:52:14.100Z</c> or <c>2026-11-24T11:52:14+01:00</c>. Fractions finer than a
    /// millisecond are truncated toward the past.
    /// </summary>
    /// <param name="utf8">The text, UTF-8.</param>
    /// <param name="unixMilliseconds">The parsed timestamp.</param>
    /// <returns><see langword="true"/> when the text is such a timestamp.</returns>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out long unixMilliseconds)
    {
        unixMilliseconds = 0;
        // yyyy-MM-ddTHH:mm:ss is the part every accepted form shares.
        if (utf8.Length < 20 || utf8[4] != '-' || utf8[7] != '-' || utf8[10] != 'T' || utf8[13] != ':' || utf8[16] != ':')
        {
            return false;
        }

        if (!TryDigits(utf8[..4], out int year) || !TryDigits(utf8.Slice(5, 2), out int month) ||
            !TryDigits(utf8.Slice(8, 2), out int day) || !TryDigits(utf8.Slice(11, 2), out int hour) ||
            !TryDigits(utf8.Slice(14, 2), out int minute) || !TryDigits(utf8.Slice(17, 2), out int second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > CivilCalendar.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int position = 19;
        int millis = 0;
        if (position < utf8.Length && utf8[position] == '.')
        {
            position++;
            int start = position;
            while (position < utf8.Length && IsDigit(utf8[position]))
            {
                if (position - start < 3)
                {
                    millis = (millis * 10) + (utf8[position] - '0');
                }

                position++;
            }

            int fractionDigits = position - start;
            if (fractionDigits == 0)
            {
                return false;
            }

            for (int i = fractionDigits; i < 3; i++)
            {
                millis *= 10;
            }
        }

        int offsetMinutes;
        ReadOnlySpan<byte> zone = utf8[position..];
        if (zone.Length == 1 && zone[0] == 'Z')
        {
            offsetMinutes = 0;
        }
        else if (zone.Length == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
                 TryDigits(zone.Slice(1, 2), out int offsetHours) && TryDigits(zone.Slice(4, 2), out int offsetMins) &&
                 offsetHours <= 23 && offsetMins <= 59)
        {
            offsetMinutes = ((offsetHours * 60) + offsetMins) * (zone[0] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        long days = CivilCalendar.ToDays(year, month, day);
        long local = (days * MillisecondsPerDay) + (hour * 3_600_000L) + (minute * 60_000L) + (second * 1000L) + millis;
        long utc = local - (offsetMinutes * 60_000L);
        if (utc < MinValue || utc > MaxValue)
        {
            return false;
        }

        unixMilliseconds = utc;
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static void Write2(Span<byte> destination, int value)
    {
        destination[0] = (byte)('0' + (value / 10));
        destination[1] = (byte)('0' + (value % 10));
    }

    private static void Write4(Span<byte> destination, int value)
    {
        destination[0] = (byte)('0' + (value / 1000));
        destination[1] = (byte)('0' + (value / 100 % 10));
        destination[2] = (byte)('0' + (value / 10 % 10));
        destination[3] = (byte)('0' + (value % 10));
    }
}
