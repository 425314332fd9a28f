using Btc.Rx.Internal;

namespace Btc.Rx.Tests.Internal;

public class KeyTimeComparerTest
{
    private static readonly KeyTimeComparer Comparer = KeyTimeComparer.Instance;

    [Fact]
    public void EqualPairs_FromDistinctStrings_AreEqualWithEqualHashes()
    {
        (string, long) a = (new string("BTCUSDT".AsSpan()), 1_764_000_000_100);
        (string, long) b = ("BTCUSDT", 1_764_000_000_100);
        Assert.False(ReferenceEquals(a.Item1, b.Item1));
        Assert.True(Comparer.Equals(a, b));
        Assert.Equal(Comparer.GetHashCode(a), Comparer.GetHashCode(b));
    }

    [Theory]
    [InlineData("BTCUSDT", 1L, "BTCUSDT", 2L)]
    [InlineData("BTCUSDT", 1L, "ETHUSDT", 1L)]
    [InlineData("BTCUSDT", 1L, "btcusdt", 1L)]
    [InlineData("", 1L, "BTCUSDT", 1L)]
    public void DifferentKeyOrTime_AreNotEqual(string key1, long time1, string key2, long time2) =>
        Assert.False(Comparer.Equals((key1, time1), (key2, time2)));

    [Fact]
    public void NullKey_IsAValueLikeAny()
    {
        Assert.True(Comparer.Equals((null!, 5), (null!, 5)));
        Assert.False(Comparer.Equals((null!, 5), ("A", 5)));
        Assert.Equal(Comparer.GetHashCode((null!, 5)), Comparer.GetHashCode((null!, 5)));
    }

    [Fact]
    public void Hashes_SpreadOverSymbolsAndTimes()
    {
        // 100 symbols x 1,000 ticks: a usable hash gives nearly as many distinct codes as pairs.
        var codes = new HashSet<int>();
        for (int s = 0; s < 100; s++)
        {
            for (int t = 0; t < 1_000; t++)
            {
                codes.Add(Comparer.GetHashCode(($"SYM{s:D4}USDT", 1_764_000_000_000 + (t * 100L))));
            }
        }

        Assert.True(codes.Count > 99_000, $"{codes.Count} distinct hash codes for 100,000 pairs");
    }
}
