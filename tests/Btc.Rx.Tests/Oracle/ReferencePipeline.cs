using System.Numerics;
using Btc.Rx.Records;

namespace Btc.Rx.Tests.Oracle;

/// <summary>
/// SEMANTICS computed the slow, obvious way: acceptance by a set of accepted keys, each window by
/// scanning every accepted record, statistics in exact rational arithmetic, the look-ahead by
/// scanning forward. Shares no code with the operators.
/// </summary>
internal sealed class ReferencePipeline
{
    public ReferencePipeline(IReadOnlyList<PriceTick> arrivals, long allowedLatenessMs, WindowSet windows, long horizonMs)
    {
        long maxSeen = long.MinValue;
        var acceptedKeys = new HashSet<(string, long)>();
        foreach (PriceTick tick in arrivals)
        {
            if (maxSeen != long.MinValue && tick.Timestamp < maxSeen - allowedLatenessMs)
            {
                Late.Add(tick);
            }
            else if (!acceptedKeys.Add((tick.Symbol, tick.Timestamp)))
            {
                Duplicates.Add(tick);
            }
            else
            {
                Accepted.Add(tick);
                maxSeen = Math.Max(maxSeen, tick.Timestamp);
            }
        }

        Windows = windows;
        HorizonMs = horizonMs;
        BySymbol = Accepted.GroupBy(t => t.Symbol).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Timestamp).ToList());
        foreach ((string symbol, List<PriceTick> ticks) in BySymbol)
        {
            // Exact prefix sums: a window's sums are two subtractions, a different method from the
            // operator's running sums, and fast enough for hours of real data.
            var sums = new BigInteger[ticks.Count + 1];
            var squares = new BigInteger[ticks.Count + 1];
            for (int i = 0; i < ticks.Count; i++)
            {
                sums[i + 1] = sums[i] + ticks[i].PriceUnits;
                squares[i + 1] = squares[i] + ((BigInteger)ticks[i].PriceUnits * ticks[i].PriceUnits);
            }

            Prefix[symbol] = (sums, squares, [.. ticks.Select(t => t.Timestamp)]);
        }
    }

    private Dictionary<string, (BigInteger[] Sums, BigInteger[] Squares, long[] Timestamps)> Prefix { get; } = [];

    public List<PriceTick> Accepted { get; } = [];

    public List<PriceTick> Late { get; } = [];

    public List<PriceTick> Duplicates { get; } = [];

    public WindowSet Windows { get; }

    public long HorizonMs { get; }

    private Dictionary<string, List<PriceTick>> BySymbol { get; }

    /// <summary>Exact mean and variance of window <paramref name="w"/> ending at <paramref name="tick"/>, as rationals of price units.</summary>
    public (BigInteger SumUnits, BigInteger Count, BigInteger VarianceNumerator, BigInteger VarianceDenominator) Window(PriceTick tick, int w)
    {
        long length = (long)Windows[w].TotalMilliseconds;
        var (sums, squares, timestamps) = Prefix[tick.Symbol];
        int end = UpperBound(timestamps, tick.Timestamp);          // first index with t' > t
        int start = UpperBound(timestamps, tick.Timestamp - length); // first index with t' > t − L
        BigInteger sum = sums[end] - sums[start];
        BigInteger sumSquares = squares[end] - squares[start];
        BigInteger n = end - start;

        return n < 2 ? (sum, n, 0, 1) : (sum, n, (n * sumSquares) - (sum * sum), n * (n - 1));
    }

    public double Mean(PriceTick tick, int w)
    {
        var (sum, n, _, _) = Window(tick, w);
        return ExactMath.ToDouble(sum, n * PriceTick.UnitsPerPrice);
    }

    public double StandardDeviation(PriceTick tick, int w)
    {
        var (_, _, numerator, denominator) = Window(tick, w);
        return Math.Sqrt(ExactMath.ToDouble(numerator, denominator * PriceTick.UnitsPerPrice * PriceTick.UnitsPerPrice));
    }

    /// <summary>(p − avg)/std from the published doubles, exactly, then rounded once.</summary>
    public static double ZScore(double price, double mean, double std)
    {
        if (std == 0)
        {
            return 0;
        }

        var (pn, pd) = ExactMath.FromDouble(price);
        var (mn, md) = ExactMath.FromDouble(mean);
        var (sn, sd) = ExactMath.FromDouble(std);
        // (pn/pd − mn/md) / (sn/sd) = (pn·md − mn·pd)·sd / (pd·md·sn)
        return ExactMath.ToDouble(((pn * md) - (mn * pd)) * sd, pd * md * sn);
    }

    private static int UpperBound(long[] sorted, long value)
    {
        int index = Array.BinarySearch(sorted, value);
        return index >= 0 ? index + 1 : ~index;
    }

    public (long Milliseconds, bool Found) FirstBeyond(PriceTick tick, LookAheadDirection direction)
    {
        List<PriceTick> ticks = BySymbol[tick.Symbol];
        for (int i = UpperBound(Prefix[tick.Symbol].Timestamps, tick.Timestamp); i < ticks.Count && ticks[i].Timestamp <= tick.Timestamp + HorizonMs; i++)
        {
            PriceTick later = ticks[i];

            if (direction == LookAheadDirection.Higher ? later.Price > tick.Price : later.Price < tick.Price)
            {
                return (later.Timestamp - tick.Timestamp, true);
            }
        }

        return (HorizonMs, false);
    }
}
