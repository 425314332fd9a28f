using System.Text.Json;

namespace Btc.Cli.Stages;

/// <summary>Values read back from topics, which others may write to as well.</summary>
internal static class ForeignJson
{
    /// <summary>
    /// Whether <paramref name="e"/> is what reading a value of another shape throws: not JSON, not an
    /// object, a field missing or of another kind, text that is not Unicode (System.Text.Json), or a
    /// record's own checks. Such a value is refused, not a reason to stop.
    /// </summary>
    public static bool IsUnreadable(Exception e) =>
        e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException;
}
