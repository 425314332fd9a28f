using System.Globalization;
using System.Reactive.Linq;
using Btc.Rx;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;

// Z-scores of a synthetic stream, with the public Btc.Rx operators only: ten minutes of two symbols
// at 10 Hz (a seeded random walk), some of it arriving out of order, printed once a minute.
var start = DateTimeOffset.Parse("2026-11-24T10:00:00Z", CultureInfo.InvariantCulture);
var random = new Random(7);
var prices = new Dictionary<string, double> { ["BTCUSDT"] = 97_000.00, ["ETHUSDT"] = 3_500.00 };
var ticks = new List<PriceTick>();
for (int i = 0; i < 6_000; i++)
{
    foreach (string symbol in prices.Keys)
    {
        prices[symbol] = Math.Round(prices[symbol] + (random.Next(-3, 4) * 0.01), 2);
        ticks.Add(new PriceTick(symbol, prices[symbol], start.AddMilliseconds(i * 100).ToUnixTimeMilliseconds()));
    }
}

// Swap some neighbours so the acceptance stage has out-of-order input to put right.
for (int i = 1; i < ticks.Count; i += 37)
{
    (ticks[i - 1], ticks[i]) = (ticks[i], ticks[i - 1]);
}

int late = 0;
var accepted = ticks.ToObservable()
    .AcceptPrices(new AcceptanceOptions<PriceTick> { OnLate = _ => late++ })
    .Publish()
    .RefCount(2);
IObservable<ZScores> zscores = accepted.ZScores(accepted.MovingStatistics());

int printed = 0;
foreach (ZScores z in zscores.ToEnumerable())
{
    if ((z.Timestamp - start.ToUnixTimeMilliseconds()) % 60_000 != 0)
    {
        continue;
    }

    string values = string.Join("  ", Enumerable.Range(0, z.Windows.Count)
        .Select(w => string.Create(CultureInfo.InvariantCulture, $"{z.Windows.Name(w)} {z.Value(w),6:F2}")));
    Console.WriteLine($"{DateTimeOffset.FromUnixTimeMilliseconds(z.Timestamp):HH:mm:ss} {z.Symbol,-8} {values}");
    printed++;
}

Console.WriteLine($"{printed} lines, {late} late records");
