using Btc.Rx.Records;

namespace Btc.Cli.Sources;

/// <summary>
/// A seeded random walk per symbol on the polling grid: the same seed gives the same prices, and
/// each price is stamped with its grid point, as the extractor stamps Binance's answers.
/// </summary>
internal sealed class SyntheticPrices(IReadOnlyList<string> symbols, int seed)
{
    private readonly Random _random = new(seed);
    private readonly long[] _units = [.. symbols.Select((_, i) => (97_000_00L - (i * 1_234_56L % 96_000_00L)) * 1_000_000L)];

    public IEnumerable<PriceTick> At(long gridTimestamp)
    {
        for (int i = 0; i < symbols.Count; i++)
        {
            // Quotes often stay put: a flat stretch is as real as a move.
            if (_random.Next(10) < 6)
            {
                _units[i] = Math.Max(1_000_000, _units[i] + (_random.Next(-3, 4) * 1_000_000L));
            }

            yield return new PriceTick(symbols[i], _units[i] / (double)PriceTick.UnitsPerPrice, gridTimestamp);
        }
    }
}
