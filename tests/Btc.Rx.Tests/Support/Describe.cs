using System.Globalization;
using Btc.Rx.Records;

namespace Btc.Rx.Tests.Support;

/// <summary>Compact text for emitted elements, so a test can assert a whole sequence at once.</summary>
internal static class Describe
{
    private static string Seconds(long timestamp) =>
        ((timestamp - T.Base) / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary><c>BTCUSDT@1.5=100</c> for a record, <c>W@-8.5</c> for a watermark.</summary>
    public static string Element(StreamElement<PriceTick> element) =>
        element.IsRecord
            ? $"{element.Record.Symbol}@{Seconds(element.Record.Timestamp)}={element.Record.Price.ToString(CultureInfo.InvariantCulture)}"
            : $"W@{Seconds(element.Watermark)}";

    public static string[] Elements(IEnumerable<StreamElement<PriceTick>> elements) => [.. elements.Select(Element)];

    /// <summary><c>H BTCUSDT@0=1.3</c> (higher) or <c>L BTCUSDT@0=20</c> (lower, none found).</summary>
    public static string LookAhead(LookAheadResult r) =>
        $"{(r.Direction == LookAheadDirection.Higher ? "H" : "L")} {r.Symbol}@{Seconds(r.Timestamp)}={r.WindowSeconds.ToString(CultureInfo.InvariantCulture)}";
}
