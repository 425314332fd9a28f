using Btc.Rx.Records;
using Btc.Rx.Tests.Oracle;
using Btc.Rx.Tests.Support;
using Btc.Rx.Windows;

namespace Btc.Rx.Tests.Windows;

/// <summary>
/// A million ticks (28 hours at 10 Hz) near 1e5 with tiny spreads: the results at the end must be as
/// exact as at the start. Checked against exact prefix sums, which share nothing with the operator.
/// </summary>
public class LongStreamDriftTest
{
    [Fact]
    public void MillionTicks_NoDrift()
    {
        const int Count = 1_000_000;
        var random = new Random(42);
        var timestamps = new long[Count];
        var units = new long[Count];
        var prefix = new Int128[Count + 1];
        var prefixSquares = new Int128[Count + 1];
        long price = 9_999_999_990_000; // 99999.9999 and steps of 1e-8: worst case for cancellation
        for (int i = 0; i < Count; i++)
        {
            price += random.Next(-3, 4) * (random.Next(10) == 0 ? 100_000L : 1L);
            timestamps[i] = T.Base + (i * 100L) + random.Next(0, 50);
            units[i] = price;
            prefix[i + 1] = prefix[i] + price;
            prefixSquares[i + 1] = prefixSquares[i] + ((Int128)price * price);
        }

        var calculator = new MovingStatisticsCalculator(WindowSet.Standard);
        int start = 0;
        var windowStarts = new int[WindowSet.Standard.Count];
        for (int i = 0; i < Count; i++)
        {
            MovingStatistics m = calculator.Add(new PriceTick("BTCUSDT", units[i] / 1e8, timestamps[i]));
            bool check = i % 997 == 0 || i >= Count - 5_000;
            for (int w = 0; w < WindowSet.Standard.Count; w++)
            {
                long length = (long)WindowSet.Standard[w].TotalMilliseconds;
                start = windowStarts[w];
                while (timestamps[start] <= timestamps[i] - length)
                {
                    start++;
                }

                windowStarts[w] = start;
                if (!check)
                {
                    continue;
                }

                var n = new System.Numerics.BigInteger(i + 1 - start);
                var sum = (System.Numerics.BigInteger)(prefix[i + 1] - prefix[start]);
                var squares = (System.Numerics.BigInteger)(prefixSquares[i + 1] - prefixSquares[start]);
                ExactMath.AssertClose(ExactMath.ToDouble(sum, n * PriceTick.UnitsPerPrice), m.Mean(w), 1e-9, $"mean at {i}");
                double std = n < 2 ? 0 : Math.Sqrt(ExactMath.ToDouble((n * squares) - (sum * sum), n * (n - 1) * PriceTick.UnitsPerPrice * PriceTick.UnitsPerPrice));
                ExactMath.AssertClose(std, m.StandardDeviation(w), 1e-9, $"std at {i}");
            }
        }
    }
}
