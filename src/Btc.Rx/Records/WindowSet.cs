using System.Collections;
using Btc.Rx.Time;

namespace Btc.Rx.Records;

/// <summary>
/// The window lengths a moving-statistics stream reports, in output order, each with its name
/// (<c>30s</c>, <c>1m</c>, …). A window of length L ending at t covers the interval (t − L, t].
/// </summary>
public sealed class WindowSet : IReadOnlyList<TimeSpan>
{
    private readonly TimeSpan[] _lengths;
    private readonly string[] _names;
    private readonly byte[][] _namesJson; // "30s" with its quotes, ready to copy into a record

    /// <summary>Creates a window set.</summary>
    /// <param name="lengths">Distinct positive whole-millisecond lengths, in output order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lengths"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty, or a length is not positive, not whole milliseconds, or repeated.</exception>
    public WindowSet(IEnumerable<TimeSpan> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        _lengths = [.. lengths];
        if (Problem(_lengths) is { } problem)
        {
            throw new ArgumentException(problem, nameof(lengths));
        }

        _names = [.. _lengths.Select(Duration.Format)];
        _namesJson = [.. _names.Select(n => System.Text.Encoding.UTF8.GetBytes($"\"{n}\""))];
        MaxNameJsonLength = _namesJson.Max(n => n.Length);
        LengthsMs = [.. _lengths.Select(l => (long)l.TotalMilliseconds)];
        LongestIndex = Array.IndexOf(LengthsMs, LengthsMs.Max());
    }

    /// <summary>The lab's windows: 30s, 1m, 5m, 15m, 30m, 1h.</summary>
    public static WindowSet Standard { get; } = new(
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
    ]);

    /// <summary>The number of windows.</summary>
    public int Count => _lengths.Length;

    /// <summary>The length of window <paramref name="index"/>.</summary>
    public TimeSpan this[int index] => _lengths[index];

    internal long[] LengthsMs { get; }

    internal int LongestIndex { get; }

    internal int MaxNameJsonLength { get; }

    internal ReadOnlySpan<byte> NameJson(int index) => _namesJson[index];

    /// <summary>The name of window <paramref name="index"/>, as written in the topics (<c>30s</c>, <c>1h</c>).</summary>
    public string Name(int index) => _names[index];

    /// <summary>Parses a comma-separated list such as <c>30s,1m,5m</c>.</summary>
    /// <exception cref="FormatException">An entry is not a duration, or the set is not valid.</exception>
    public static WindowSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        TimeSpan[] lengths;
        try
        {
            lengths = [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Duration.Parse)];
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }

        // Checked here too, so the message is the sentence alone, without ArgumentException's "(Parameter …)".
        return Problem(lengths) is { } problem ? throw new FormatException(problem) : new WindowSet(lengths);
    }

    // Why lengths cannot be a window set, in one sentence, or null when they can.
    private static string? Problem(TimeSpan[] lengths) =>
        lengths.Length == 0 ? "At least one window length is needed."
        : lengths.Any(l => l <= TimeSpan.Zero) ? "Window lengths must be longer than 0."
        : lengths.FirstOrDefault(l => l.Ticks % TimeSpan.TicksPerMillisecond != 0) is { Ticks: > 0 } fraction
            ? $"Window lengths must be whole milliseconds, not {fraction.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} ms."
        : lengths.Distinct().Count() != lengths.Length ? "Window lengths must be distinct."
        : null;

    /// <inheritdoc/>
    public IEnumerator<TimeSpan> GetEnumerator() => ((IEnumerable<TimeSpan>)_lengths).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => string.Join(",", _names);
}
