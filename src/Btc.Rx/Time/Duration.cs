using System.Globalization;

namespace Btc.Rx.Time;

/// <summary>
/// The short duration text used by window names and command-line options: a whole number followed by
/// <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> (<c>100ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>).
/// </summary>
public static class Duration
{
    /// <summary>Parses a duration such as <c>10s</c> or <c>100ms</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="duration">The parsed, non-negative duration.</param>
    /// <returns><see langword="true"/> when the text is a whole number with a unit.</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> span = text.AsSpan().Trim();
        int digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }

        if (digits == 0 || !long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            return false;
        }

        long unitMs = span[digits..] switch
        {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => 0,
        };
        if (unitMs == 0 || amount > long.MaxValue / unitMs / TimeSpan.TicksPerMillisecond)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(amount * unitMs);
        return true;
    }

    /// <summary>Parses a duration or throws a <see cref="FormatException"/> that names the accepted forms.</summary>
    /// <exception cref="FormatException">The text is not a duration.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out TimeSpan duration)
            ? duration
            : throw new FormatException($"'{text}' is not a duration: use a whole number with ms, s, m or h, for example 10s or 100ms.");

    /// <summary>Formats a whole-millisecond duration in its shortest exact unit: <c>30s</c>, <c>1m</c>, <c>1h</c>, <c>1500ms</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        long ms = (long)duration.TotalMilliseconds;
        return ms switch
        {
            _ when ms != 0 && ms % 3_600_000 == 0 => FormattableString.Invariant($"{ms / 3_600_000}h"),
            _ when ms != 0 && ms % 60_000 == 0 => FormattableString.Invariant($"{ms / 60_000}m"),
            _ when ms % 1000 == 0 => FormattableString.Invariant($"{ms / 1000}s"),
            _ => FormattableString.Invariant($"{ms}ms"),
        };
    }
}
