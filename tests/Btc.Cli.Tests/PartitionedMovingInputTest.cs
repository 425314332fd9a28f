using System.Text;
using Btc.Cli.Kafka;
using Btc.Cli.Stages;
using Btc.Rx.Records;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>
/// The zscore stage over a btc-price-moving of several partitions, which it reads interleaved, one
/// ahead of another: every price still gets its statistics.
/// </summary>
public class PartitionedMovingInputTest : IDisposable
{
    private const string XRP = """{"symbol": "XRPUSDT", "price": 2.5, "timestamp": "2026-11-24T10:00:05.000Z"}""";
    private readonly StageHarness _harness = new(movingPartitions: 3);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ZScore_OverMovingRecordsInThreePartitions_ReadAsABacklog_GivesEveryZScore()
    {
        // Two symbols, each in a partition of its own, the third partition empty; all written before
        // the stage starts, so it reads a run of one partition, then of another.
        string input = _harness.SampleHead(3_000);
        Dictionary<string, string[]> expected = _harness.PipelineOutputs(input);
        // And a price whose statistics never come: given up once every partition still being read is
        // past it, which the empty partition must not prevent.
        string[] prices = [.. File.ReadLines(input).Take(100), XRP, .. File.ReadLines(input).Skip(100)];
        KafkaTestClient.Produce(_harness.BootstrapServers, Topics.Price, prices.Select(line => ("BTCUSDT", line)));
        var reader = new TopicJsonReader();
        KafkaTestClient.Produce(_harness.BootstrapServers, expected[Topics.Moving].Select(value =>
        {
            Assert.True(reader.TryReadMoving(Encoding.UTF8.GetBytes(value), out MovingStatistics? moving));
            return (new TopicPartition(Topics.Moving, moving!.Symbol == "BTCUSDT" ? 0 : 1), moving.Symbol, value);
        }));

        _harness.StartInProcess("zscore");
        await _harness.WaitForCount(Topics.ZScore, expected[Topics.ZScore].Length, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();

        Assert.Contains(", 1 unmatched,", _harness.InProcessLogs(), StringComparison.Ordinal);
        List<string> zscores = TopicReader.ReadAll(_harness.BootstrapServers, Topics.ZScore);
        Assert.Equal(expected[Topics.ZScore].Order(StringComparer.Ordinal), zscores.Order(StringComparer.Ordinal));
    }
}
