using System.Text;
using Btc.Rx.Time;

namespace Btc.Rx.Tests.Time;

public class EventTimeTest
{
    [Theory]
    [InlineData("2026-11-24T10:52:14.100Z", "2026-11-24T10:52:14.100Z")]
    [InlineData("2026-11-24T10:52:14Z", "2026-11-24T10:52:14.000Z")]
    [InlineData("2026-11-24T10:52:14.1Z", "2026-11-24T10:52:14.100Z")]
    [InlineData("2026-11-24T10:52:14.123999Z", "2026-11-24T10:52:14.123Z")]
    [InlineData("2026-11-24T11:52:14.100+01:00", "2026-11-24T10:52:14.100Z")]
    [InlineData("2026-11-24T05:22:14.100-05:30", "2026-11-24T10:52:14.100Z")]
    [InlineData("2024-02-29T00:00:00.000Z", "2024-02-29T00:00:00.000Z")]
    [InlineData("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z")]
    [InlineData("0001-01-01T00:00:00.000Z", "0001-01-01T00:00:00.000Z")]
    [InlineData("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z")]
    public void Parse_Regular(string text, string expected)
    {
        Assert.True(EventTime.TryParseUtf8(Encoding.UTF8.GetBytes(text), out long ms));
        Assert.Equal(expected, EventTime.Format(ms));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-24")]
    [InlineData("2026-11-24T10:52:14.100")]
    [InlineData("2026-11-24 10:52:14.100Z")]
    [InlineData("2026-13-24T10:52:14.100Z")]
    [InlineData("2026-02-29T10:52:14.100Z")]
    [InlineData("2026-11-24T24:00:00.000Z")]
    [InlineData("2026-11-24T10:60:00.000Z")]
    [InlineData("2026-11-24T10:52:60.000Z")]
    [InlineData("2026-11-24T10:52:14.Z")]
    [InlineData("2026-11-24T10:52:14.100ZZ")]
    [InlineData("2026-11-24T10:52:14.100+0100")]
    [InlineData("yesterday")]
    [InlineData("0000-01-01T00:00:00.000Z")]
    [InlineData("0001-01-01T00:00:00.000+01:00")]
    public void Parse_Invalid(string text) => Assert.False(EventTime.TryParseUtf8(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void Format_MatchesDateTimeOffset_OverManyDays()
    {
        var random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            long ms = random.NextInt64(EventTime.MinValue, EventTime.MaxValue);
            string expected = EventTime.ToDateTimeOffset(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, EventTime.Format(ms));
            Assert.True(EventTime.TryParseUtf8(Encoding.ASCII.GetBytes(expected), out long back));
            Assert.Equal(ms, back);
        }
    }

    [Theory]
    [InlineData(-86_400_000L - 5_000)] // the day before the epoch
    [InlineData(-65_000L)]
    [InlineData(1_798_761_600_000L - 61_000)] // new year 2027
    [InlineData(253_402_300_799_999L - 130_000)] // the last minutes that can be written
    public void Format_RunsOfNearbyTimes_AcrossMinutesDaysAndTheEpoch(long start)
    {
        // Consecutive timestamps share the text of their minute; each must still get its own.
        for (long ms = start; ms < start + 130_000; ms += 37)
        {
            Assert.Equal(Expected(ms), EventTime.Format(ms));
        }
    }

    [Fact]
    public void Format_FromSeveralThreadsAtOnce()
    {
        // The minute's text is shared between threads; threads in different minutes replace it
        // under each other's feet.
        Parallel.For(0, 4, thread =>
        {
            var random = new Random(thread);
            for (int i = 0; i < 20_000; i++)
            {
                long ms = 1_795_000_000_000 + (thread * 3_600_000L) + random.Next(0, 180_000);
                Assert.Equal(Expected(ms), EventTime.Format(ms));
            }
        });
    }

    [Fact]
    public void Format_ArgumentChecking()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTime.Format(EventTime.MaxValue + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTime.Format(EventTime.MinValue - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTime.WriteUtf8(0, new byte[23]));
    }

    private static string Expected(long ms) =>
        EventTime.ToDateTimeOffset(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
