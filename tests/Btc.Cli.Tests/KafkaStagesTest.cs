using System.Text.RegularExpressions;
using Btc.Cli.Kafka;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>
/// The Kafka stages over one broker give exactly what btc pipeline gives for the same file, and keep
/// doing so when each is killed with SIGKILL mid-stream and started again.
/// </summary>
public class KafkaStagesTest : IDisposable
{
    private readonly StageHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Chain_ExtractMovingZScoreBonusLoad_GivesExactlyThePipelineRecords() =>
        _harness.AssertChainGivesPipelineRecords(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task AnInvalidValueTooLongToQuoteWhole_IsRejected_AndTheStageGoesOn()
    {
        // 300,000 control characters: escaped six bytes each, a rejected record quoting them whole would
        // be larger than the topic takes, and a stage that cannot deliver an output stops there after every restart.
        string[] prices = File.ReadAllLines(_harness.SampleHead(20));
        KafkaTestClient.Produce(_harness.BootstrapServers, Topics.Price, [("BTCUSDT", new string('\u0001', 300_000)), .. prices.Select(p => ("BTCUSDT", p))]);

        _harness.StartInProcess("moving");
        await _harness.WaitForCount(Topics.Moving, prices.Length, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();

        string rejected = Assert.Single(TopicReader.ReadAll(_harness.BootstrapServers, Topics.Rejected));
        Assert.Contains("the value quoted is its first 65,536 of 300,000 bytes", rejected, StringComparison.Ordinal);
        Assert.InRange(rejected.Length, 6 * 65_536, 7 * 65_536);
    }

    [Fact]
    public async Task EveryStage_KilledMidStreamAndRestarted_GivesTheSameRecords_ARepeatNeverDiffers()
    {
        string input = _harness.SampleHead();
        Dictionary<string, string[]> expected = _harness.PipelineOutputs(input);
        foreach (string stage in StageHarness.Stages)
        {
            _harness.StartProcess(stage);
        }

        // 5 minutes of prices at 60x: about 5 s of publishing. Each stage is killed once it has written
        // a part of its output and committed some input, then started again at once.
        Task extract = Task.Run(() => _harness.Extract(input, "60x"));
        (string Stage, string Topic, int Count)[] kills = [("moving", Topics.Moving, 1000), ("zscore", Topics.ZScore, 2500), ("bonus", Topics.Higher, 3500)];
        foreach (var (stage, topic, count) in kills)
        {
            await _harness.WaitForCount(topic, count, TimeSpan.FromSeconds(60));
            long committed;
            while ((committed = TopicReader.Committed(_harness.BootstrapServers, "btc-" + stage, Topics.Price)) <= 0)
            {
                await Task.Delay(50);
            }

            _harness.Note($"{stage} killed after committing offset {committed}");
            _harness.Kill(stage);
            _harness.StartProcess(stage);
        }

        while (TopicReader.Committed(_harness.BootstrapServers, "btc-load", Topics.ZScore) < 4000)
        {
            await Task.Delay(50);
        }

        _harness.Kill("load");
        _harness.StartProcess("load");
        await extract;
        _harness.WaitForOutputs(expected, TimeSpan.FromSeconds(90));
        _harness.AssertMongoHolds(expected[Topics.ZScore], TimeSpan.FromSeconds(30));

        foreach (string stage in StageHarness.Stages.Where(s => s != "load"))
        {
            Assert.True(Regex.IsMatch(_harness.Log(stage), "state rebuilt from [1-9][0-9]* records"), stage + ":\n" + _harness.Log(stage));
        }

        Assert.Contains("btc-price-zscore [[0]]: starting at offset", _harness.Log("load"), StringComparison.Ordinal);
        Assert.Contains("(the committed offset)", _harness.Log("load"), StringComparison.Ordinal);

        // Records may repeat (at-least-once: retries, restarts) but never differ or go missing.
        _harness.AssertTopicsHold(expected, repeatsAllowed: true);
    }

    [Fact]
    public async Task MongoDownForTenSeconds_ThenBrokerDownForTenSeconds_NothingIsLostOrChanged()
    {
        string input = _harness.SampleHead();
        Dictionary<string, string[]> expected = _harness.PipelineOutputs(input);

        // An idle timeout as long as the broker's outage: time the broker is down, and time a stage's
        // commit waits for it to come back, are not idle time (IdleClock), so nothing may turn late. It
        // only has to outlast the few seconds the chain takes to resume after the outage.
        _harness.IdleTimeout = "10s";
        // A write begun during the outage waits for MongoDB as long as the server-selection timeout; with
        // that as long as the outage, the write could outlast it and the outage pass unreported.
        _harness.MongoUri = _harness.Mongo!.ConnectionStringSelectingWithin(TimeSpan.FromSeconds(3));
        _harness.StartAllInProcess();

        // 5 minutes of prices at 20x: 15 s of publishing, with MongoDB down from about the second
        // second to the twelfth and then the broker down for ten seconds while the rest is published.
        Task extract = Task.Run(() => _harness.Extract(input, "20x"));
        await _harness.WaitForCount(Topics.ZScore, 1000, TimeSpan.FromSeconds(60));
        _harness.Mongo!.TakeDown();
        await Task.Delay(TimeSpan.FromSeconds(10));
        _harness.Mongo!.BringUp();
        Assert.False(extract.IsCompleted, "the stream ended before the broker went down");
        _harness.Cluster!.SetBrokerUp(1, false);
        await Task.Delay(TimeSpan.FromSeconds(10));
        _harness.Cluster!.SetBrokerUp(1, true);
        await extract;
        expected = _harness.PipelineOutputsOfPublishedPrices(expected, input);
        _harness.WaitForOutputs(expected, TimeSpan.FromSeconds(90));
        _harness.AssertMongoHolds(expected[Topics.ZScore], TimeSpan.FromSeconds(30));
        _harness.StopInProcess();

        // Records may repeat (at-least-once: retries, restarts) but never differ or go missing.
        _harness.AssertTopicsHold(expected, repeatsAllowed: true);

        Assert.Contains("MongoDB is unavailable while writing", _harness.InProcessLogs(), StringComparison.Ordinal);
        Assert.Contains("MongoDB answers again", _harness.InProcessLogs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestErrors_OnProduceFetchAndCommit_AreRetried_NothingIsLostOrChanged()
    {
        string input = _harness.SampleHead();
        Dictionary<string, string[]> expected = _harness.PipelineOutputs(input);
        _harness.StartAllInProcess();

        Task extract = Task.Run(() => _harness.Extract(input, "60x"));
        await _harness.WaitForCount(Topics.Moving, 500, TimeSpan.FromSeconds(60));
        // Retriable errors a real cluster gives during leader changes and overload.
        _harness.Cluster!.FailNextRequests(0, [.. Enumerable.Repeat(ErrorCode.NotLeaderForPartition, 5), ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicas]);
        _harness.Cluster!.FailNextRequests(1, [.. Enumerable.Repeat(ErrorCode.NotLeaderForPartition, 3)]);
        _harness.Cluster!.FailNextRequests(8, [ErrorCode.RequestTimedOut, ErrorCode.GroupLoadInProgress, ErrorCode.NotCoordinatorForGroup]);
        await extract;
        _harness.WaitForOutputs(expected, TimeSpan.FromSeconds(60));
        _harness.AssertMongoHolds(expected[Topics.ZScore], TimeSpan.FromSeconds(30));
        _harness.StopInProcess();

        // Records may repeat (at-least-once: retries, restarts) but never differ or go missing.
        _harness.AssertTopicsHold(expected, repeatsAllowed: true);
    }


}
