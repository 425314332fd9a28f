using Btc.Rx.Records;
using Btc.Rx.Time;

namespace Btc.Rx.Tests.Time;

public class DurationTest
{
    [Theory]
    [InlineData("100ms", 100)]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData(" 0s ", 0)]
    public void Parse_Regular(string text, long ms) => Assert.Equal(TimeSpan.FromMilliseconds(ms), Duration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("-1s")]
    [InlineData("1.5s")]
    [InlineData("10 s")]
    [InlineData("1d")]
    [InlineData("99999999999999999999s")]
    public void Parse_Invalid(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
        FormatException e = Assert.Throws<FormatException>(() => Duration.Parse(text));
        Assert.Contains("whole number with ms, s, m or h", e.Message);
    }

    [Theory]
    [InlineData(30_000, "30s")]
    [InlineData(60_000, "1m")]
    [InlineData(900_000, "15m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(90_000, "90s")]
    [InlineData(1_500, "1500ms")]
    public void Format_ShortestExactUnit(long ms, string expected) => Assert.Equal(expected, Duration.Format(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void WindowSet_StandardNamesAndOrder() =>
        Assert.Equal("30s,1m,5m,15m,30m,1h", WindowSet.Standard.ToString());

    [Theory]
    [InlineData("", "At least one window length is needed.")]
    [InlineData("30s,30s", "Window lengths must be distinct.")]
    [InlineData("0s", "Window lengths must be longer than 0.")]
    [InlineData("abc", null)]
    public void WindowSet_Invalid_SaysWhyInOneSentence(string text, string? message)
    {
        FormatException e = Assert.Throws<FormatException>(() => WindowSet.Parse(text));
        if (message is not null)
        {
            Assert.Equal(message, e.Message);
        }
    }

    [Fact]
    public void WindowSet_FromLengths_RejectsFractionsOfAMillisecond()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new WindowSet([TimeSpan.FromSeconds(1), TimeSpan.FromTicks(15_000)]));
        Assert.StartsWith("Window lengths must be whole milliseconds, not 1.5 ms.", e.Message, StringComparison.Ordinal);
    }
}
