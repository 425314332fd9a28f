using Btc.Rx.Records;

namespace Btc.Bench;

/// <summary>Seeded random walks on the 100 ms grid, as ticks or as a btc-price JSON Lines file.</summary>
internal static class SampleData
{
    public static readonly long Start = DateTimeOffset.Parse("2026-11-24T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    public static IEnumerable<PriceTick> Ticks(int count, int symbols)
    {
        var random = new Random(20261124);
        var units = Enumerable.Repeat(9_700_000_000_000L, symbols).ToArray();
        for (int i = 0; i < count; i++)
        {
            int s = i % symbols;
            if (random.Next(10) < 6)
            {
                units[s] += random.Next(-3, 4) * 1_000_000L;
            }

            yield return new PriceTick(symbols == 1 ? "BTCUSDT" : $"SYM{s:D4}USDT", units[s] / 1e8, Start + (i / symbols * 100L));
        }
    }

    public static string WriteFile(int count)
    {
        string path = Path.Combine(Path.GetTempPath(), $"btc-bench-{count}.jsonl");
        if (File.Exists(path))
        {
            return path;
        }

        using (var output = new JsonLinesOut(path + ".tmp"))
        {
            foreach (PriceTick tick in Ticks(count, symbols: 1))
            {
                output.WritePrice(tick);
            }
        }

        File.Move(path + ".tmp", path);
        return path;
    }
}
