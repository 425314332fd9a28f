using System.Globalization;
using Btc.Cli.Kafka;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>
/// A stage whose idle timeout moved its watermark on, stopped and started again, decides as an
/// uninterrupted run would: the advance is replayed with the input, so a record the first run would
/// have called late is late, and the records the advance made final are not sent again.
/// </summary>
public class IdleRestartTest : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly StageHarness _harness = new() { IdleTimeout = "1s" };

    public void Dispose() => _harness.Dispose();

    // moving: the idle advance puts the watermark 1 ms past the last price (30 s), so 25.5 s is late
    // (the first run's acceptance would have had it at 20 s). zscore, beside moving, accepts prices
    // as moving does. bonus: 20 s further, past the horizon, so 40 s is late, and accepted it would
    // answer the look-aheads of prices 20-30 s differently.
    [Theory]
    [InlineData("moving", 25.5, 32.0, new[] { Topics.Moving })]
    [InlineData("moving,zscore", 25.5, 32.0, new[] { Topics.Moving, Topics.ZScore })]
    [InlineData("bonus", 40.0, 60.0, new[] { Topics.Higher, Topics.Lower })]
    public async Task AStageRestartedAfterAnIdleAdvance_CallsLateWhatTheFirstRunWould_AndSendsNothingAgain(string stageList, double lateSeconds, double nextSeconds, string[] outputs)
    {
        string[] stages = stageList.Split(',');
        var (first, late, next, expected) = PublishFirstPrices(lateSeconds, nextSeconds);
        await RunUntilEveryOutputHolds(stages, outputs, first.Length);
        foreach (string stage in stages)
        {
            while (TopicReader.Committed(_harness.BootstrapServers, "btc-" + stage, Topics.Price) < first.Length)
            {
                await Task.Delay(50);
            }
        }

        _harness.StopInProcess();
        Assert.Equal(stages.Length, TopicReader.Count(_harness.BootstrapServers, Topics.IdleAdvances));

        KafkaTestClient.Produce(_harness.BootstrapServers, Topics.Price, [("BTCUSDT", late), ("BTCUSDT", next)]);
        await RunUntilEveryOutputHolds(stages, outputs, first.Length + 1);
        _harness.StopInProcess();

        string logs = _harness.InProcessLogs();
        Assert.Contains("1 idle advance of an earlier run is made again where it was made", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("made again, it moved it to", logs, StringComparison.Ordinal);
        foreach (string topic in outputs)
        {
            Assert.Equal(expected[topic], TopicReader.ReadAll(_harness.BootstrapServers, topic));
        }

        // The restarted runs' own advances, for the price after the late one, are kept too.
        Assert.Equal(2 * stages.Length, TopicReader.Count(_harness.BootstrapServers, Topics.IdleAdvances));
        if (stages.Contains("moving"))
        {
            string rejected = Assert.Single(TopicReader.ReadAll(_harness.BootstrapServers, Topics.Rejected));
            Assert.Contains("\"reason\": \"late\"", rejected, StringComparison.Ordinal);
            Assert.Contains("watermark 2026-11-24T10:00:30.001Z", rejected, StringComparison.Ordinal);
        }
    }

    // Killed after the advance was acknowledged and its outputs sent, but before any commit: the
    // restarted stage handles the whole input live, and makes the advance again where it was made, so
    // it sends the same records again and calls late what the first run would have.
    [Theory]
    [InlineData("moving", 25.5, 32.0, new[] { Topics.Moving })]
    [InlineData("bonus", 40.0, 60.0, new[] { Topics.Higher, Topics.Lower })]
    public async Task AStageKilledAfterAnIdleAdvance_BeforeItsCommit_MakesItAgain_ARepeatNeverDiffers(string stage, double lateSeconds, double nextSeconds, string[] outputs)
    {
        var (first, late, next, expected) = PublishFirstPrices(lateSeconds, nextSeconds);
        _harness.CommitInterval = "1h";
        _harness.StartProcess(stage);
        foreach (string topic in outputs)
        {
            await _harness.WaitForCount(topic, first.Length, TimeSpan.FromSeconds(60));
        }

        _harness.Kill(stage);
        Assert.Equal(-1, TopicReader.Committed(_harness.BootstrapServers, "btc-" + stage, Topics.Price));
        Assert.Equal(1, TopicReader.Count(_harness.BootstrapServers, Topics.IdleAdvances));

        KafkaTestClient.Produce(_harness.BootstrapServers, Topics.Price, [("BTCUSDT", late), ("BTCUSDT", next)]);
        _harness.CommitInterval = "200ms";
        _harness.StartProcess(stage);
        foreach (string topic in outputs)
        {
            await _harness.WaitForCount(topic, (2 * first.Length) + 1, TimeSpan.FromSeconds(60));
        }

        _harness.Kill(stage);

        foreach (string topic in outputs)
        {
            List<string> actual = TopicReader.ReadAll(_harness.BootstrapServers, topic);
            Assert.Equal(expected[topic], actual.Distinct());
            Assert.Equal([.. expected[topic][..first.Length], .. expected[topic]], actual);
        }
    }

    // The advance's record is refused: the stage stops with exit code 1 rather than send what the
    // advance released, since a restart could not make the advance again. Restarted, it makes its own
    // advance and sends those records once.
    [Fact]
    public async Task AnIdleAdvanceThatCannotBeMadeDurable_StopsTheStage_BeforeWhatItReleasedIsSent()
    {
        var (first, _, _, _) = PublishFirstPrices(40, 60);
        string[] expected = _harness.PipelineOutputs(_harness.Folder.Write("first.jsonl", first))[Topics.Moving];
        // Long enough to refuse the next produce request between the last commit and the advance.
        _harness.IdleTimeout = "3s";
        var error = new StringWriter();
        Task<int> run = Task.Run(() => BtcCommand.Create().Parse(_harness.StageArguments("moving")).InvokeAsync(
            new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Synchronized(error) }, CancellationToken.None));
        while (TopicReader.Committed(_harness.BootstrapServers, "btc-moving", Topics.Price) < first.Length)
        {
            Assert.False(run.IsCompleted, error.ToString());
            await Task.Delay(20);
        }

        long sent = TopicReader.Count(_harness.BootstrapServers, Topics.Moving);
        _harness.Cluster!.FailNextRequests(0, ErrorCode.TopicAuthorizationFailed);
        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(60)) == 1, error.ToString());

        Assert.InRange(sent, 1, first.Length - 1);
        Assert.Equal(sent, TopicReader.Count(_harness.BootstrapServers, Topics.Moving));
        Assert.Equal(0, TopicReader.Count(_harness.BootstrapServers, Topics.IdleAdvances));
        Assert.Contains("could not be delivered", error.ToString(), StringComparison.Ordinal);

        _harness.StartInProcess("moving");
        await _harness.WaitForCount(Topics.Moving, first.Length, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();
        Assert.Equal(expected, TopicReader.ReadAll(_harness.BootstrapServers, Topics.Moving));
    }

    // Starts the stages in this process and waits until every output topic holds that many records:
    // final only through the idle timeout (the file's end makes them final in btc pipeline).
    private async Task RunUntilEveryOutputHolds(string[] stages, string[] outputs, int count)
    {
        foreach (string stage in stages)
        {
            _harness.StartInProcess(stage);
        }

        foreach (string topic in outputs)
        {
            await _harness.WaitForCount(topic, count, TimeSpan.FromSeconds(60));
        }
    }

    // Publishes 31 prices a second apart; returns them, a price at lateSeconds and one at nextSeconds
    // (published later by the test), and what btc pipeline writes for all but the late one.
    private (string[] First, string Late, string Next, Dictionary<string, string[]> Expected) PublishFirstPrices(double lateSeconds, double nextSeconds)
    {
        string[] first = [.. Enumerable.Range(0, 31).Select(i => Price(i, 100 + (i % 7)))];
        string next = Price(nextSeconds, 99);
        Dictionary<string, string[]> expected = _harness.PipelineOutputs(_harness.Folder.Write("expected.jsonl", [.. first, next]));
        KafkaTestClient.Produce(_harness.BootstrapServers, Topics.Price, first.Select(p => ("BTCUSDT", p)));
        return (first, Price(lateSeconds, 150), next, expected);
    }

    private static string Price(double seconds, double price) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"symbol\": \"BTCUSDT\", \"price\": {price}, \"timestamp\": \"{Start.AddSeconds(seconds):yyyy-MM-ddTHH:mm:ss.fff}Z\"}}");
}
