using System.Globalization;
using Btc.Rx.Records;
using Btc.Rx.Serialization;

namespace Btc.Rx.Tests.Support;

/// <summary>
/// The real BTCUSDT trades in <c>../shared/data/tardis_trades.csv</c> as <c>btc-price</c> lines: the
/// last trade price per 100 ms slot of exchange time, in order of receipt (a slot's record is sent
/// when its last trade was received).
/// </summary>
internal static class TardisTrades
{
    public static string? FindCsv() => RepositoryPaths.Shared("data", "tardis_trades.csv");

    public static List<string> ToPriceLines(string csvPath)
    {
        var trades = new List<(long SlotMs, long ReceivedUs, int Row, string Price)>();
        int row = 0;
        foreach (string line in File.ReadLines(csvPath).Skip(1))
        {
            string[] fields = line.Split(',');
            long exchangeUs = long.Parse(fields[2], CultureInfo.InvariantCulture);
            long receivedUs = long.Parse(fields[3], CultureInfo.InvariantCulture);
            trades.Add((exchangeUs / 1000 / 100 * 100, receivedUs, row++, fields[6]));
        }

        // The last trade of each slot in receipt order carries the slot's price and its send time.
        var lastOfSlot = trades
            .OrderBy(t => t.ReceivedUs).ThenBy(t => t.Row)
            .GroupBy(t => t.SlotMs)
            .Select(g => g.Last())
            .OrderBy(t => t.ReceivedUs).ThenBy(t => t.Row);
        return [.. lastOfSlot.Select(t => TopicJson.ToString(w => TopicJson.WritePrice(w, new PriceTick("BTCUSDT", double.Parse(t.Price, CultureInfo.InvariantCulture), t.SlotMs))))];
    }
}
