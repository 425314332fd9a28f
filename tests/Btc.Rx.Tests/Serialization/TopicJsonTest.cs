using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Btc.Rx.Tests.Support;

namespace Btc.Rx.Tests.Serialization;

public class TopicJsonTest
{
    [Fact]
    public void Price_ByteExact() =>
        Assert.Equal(
            """{"symbol": "BTCUSDT", "price": 104235.12, "timestamp": "2026-11-24T10:52:14.100Z"}""",
            TopicJson.ToString(w => TopicJson.WritePrice(w, T.Tick(104235.12, (52 * 60) + 14.1))));

    [Fact]
    public void Moving_ByteExact()
    {
        var windows = WindowSet.Parse("30s,1h");
        var statistics = new MovingStatistics("BTCUSDT", T.At(0.1), windows, [100.5, 100.75], [0.0, 0.3535533905932738]);
        Assert.Equal(
            """{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "BTCUSDT", "windows": [{"window": "30s", "avg_price": 100.5, "std_price": 0.0}, {"window": "1h", "avg_price": 100.75, "std_price": 0.3535533905932738}]}""",
            TopicJson.ToString(w => TopicJson.WriteMoving(w, statistics)));
    }

    [Fact]
    public void ZScore_ByteExact()
    {
        var zscores = new ZScores("ETHUSDT", T.At(1), WindowSet.Parse("30s,1m"), [0.0, -1.25]);
        Assert.Equal(
            """{"timestamp": "2026-11-24T10:00:01.000Z", "symbol": "ETHUSDT", "zscores": [{"window": "30s", "zscore_price": 0.0}, {"window": "1m", "zscore_price": -1.25}]}""",
            TopicJson.ToString(w => TopicJson.WriteZScores(w, zscores)));
    }

    [Fact]
    public void HigherAndLower_ByteExact()
    {
        Assert.Equal(
            """{"timestamp": "2026-11-24T10:00:00.000Z", "symbol": "BTCUSDT", "higher_window": 1.3}""",
            TopicJson.ToString(w => TopicJson.WriteLookAhead(w, new LookAheadResult("BTCUSDT", T.At(0), LookAheadDirection.Higher, 1300, true))));
        Assert.Equal(
            """{"timestamp": "2026-11-24T10:00:00.000Z", "symbol": "BTCUSDT", "lower_window": 20.0}""",
            TopicJson.ToString(w => TopicJson.WriteLookAhead(w, new LookAheadResult("BTCUSDT", T.At(0), LookAheadDirection.Lower, 20_000, false))));
    }

    [Fact]
    public void LookAheadWindow_FromIntegerMilliseconds() =>
        Assert.Equal(0.3, new LookAheadResult("X", 0, LookAheadDirection.Higher, 300, true).WindowSeconds);

    [Fact]
    public void ParsedRecord_RoundTripsToTheSameBytes()
    {
        var parser = new Btc.Rx.Parsing.PriceRecordParser();
        const string Json = """{"symbol": "BTCUSDT", "price": 97000.01, "timestamp": "2026-11-24T10:00:00.100Z"}""";
        Assert.True(parser.TryParse(System.Text.Encoding.UTF8.GetBytes(Json), out PriceTick tick, out _));
        Assert.Equal(Json, TopicJson.ToString(w => TopicJson.WritePrice(w, tick)));
    }
}
