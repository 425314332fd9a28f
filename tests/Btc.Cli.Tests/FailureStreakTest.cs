using Btc.Cli.Logging;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Tests;

/// <summary>Failures retried many times a second are logged as a streak: the first, a summary per interval, the recovery.</summary>
public class FailureStreakTest
{
    private readonly StringWriter _log = new();
    private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

    private FailureStreak Streak() =>
        new(CommandLogging.Create(_log).CreateLogger("extract"), "Binance requests", TimeSpan.FromSeconds(10), () => _now);

    private string[] Lines() => _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void TenFailuresASecond_GiveTheFirst_ThenOneSummaryPerTenSeconds()
    {
        FailureStreak streak = Streak();
        for (int i = 0; i < 250; i++)
        {
            streak.Failed("a Binance request failed: {Error}", "refused " + i);
            _now += TimeSpan.FromMilliseconds(100);
        }

        string[] lines = Lines();
        Assert.Equal(3, lines.Length);
        Assert.EndsWith("a Binance request failed: refused 0", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("100 more Binance requests failed in the last 10 s; the last: a Binance request failed: refused 100", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("100 more Binance requests failed in the last 10 s; the last: a Binance request failed: refused 200", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void ASuccess_EndsTheStreak_SaysSoOnce_AndTheNextFailureIsLoggedAgain()
    {
        FailureStreak streak = Streak();
        streak.Failed("a Binance request failed: {Error}", "refused");
        streak.Failed("a Binance request failed: {Error}", "refused");
        streak.Succeeded();
        streak.Succeeded();
        streak.Failed("Binance answered {Status}: {Body}", 503, "busy");

        string[] lines = Lines();
        Assert.Equal(3, lines.Length);
        Assert.EndsWith("Binance requests work again after 2 failed", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("Binance answered 503: busy", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void SuccessesAlone_LogNothing()
    {
        Streak().Succeeded();
        Assert.Empty(Lines());
    }
}
