using System.Text;
using Btc.Cli.Kafka;
using Btc.Cli.Stages;
using Btc.Rx.Records;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>
/// Stages over topics of several partitions, which the consumer fetches interleaved, one ahead of
/// another: records are taken in timestamp order, and every price still gets its statistics.
/// </summary>
public class PartitionedInputsTest : IDisposable
{
    private const string XRP = """{"symbol": "XRPUSDT", "price": 2.5, "timestamp": "2026-11-24T10:00:05.000Z"}""";
    private readonly StageHarness _harness = new(movingPartitions: 3, pricePartitions: 3);
    private long _nextTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Moving_OverABacklogOfThreePartitionsFetchedInLargeBatches_TakesThePricesInTimestampOrder()
    {
        // Each symbol in a partition of its own, written in the file's order with timestamps in that
        // order, but in one large batch per partition: the consumer gets all of one partition, then
        // all of another. Taken in that order, half the prices were minutes late.
        string input = _harness.SampleHead(6_000);
        string[] expected = _harness.PipelineOutputs(input)[Topics.Moving];
        ProduceInLargeBatches(File.ReadLines(input));

        _harness.StartInProcess("moving");
        await _harness.WaitForCount(Topics.Moving, expected.Length, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();

        Assert.Equal(expected, TopicReader.ReadAll(_harness.BootstrapServers, Topics.Moving));
    }

    [Fact]
    public async Task Moving_RestartedOverThreePartitions_ReplaysInTimestampOrder_AndGoesOnAsAnUninterruptedRun()
    {
        // The replay reads a backlog of every partition too: taken in fetch order, the rebuilt state
        // would not be the one the first run had.
        string input = _harness.SampleHead(6_000);
        string[] expected = _harness.PipelineOutputs(input)[Topics.Moving];
        string[] lines = [.. File.ReadLines(input)];
        _harness.IdleTimeout = "1h";
        ProduceInLargeBatches(lines[..3_000]);
        _harness.StartInProcess("moving");
        await _harness.WaitForCount(Topics.Moving, 2_500, TimeSpan.FromSeconds(60));
        _harness.StopInProcess(); // flushes and commits what it handled

        _harness.IdleTimeout = "1s";
        ProduceInLargeBatches(lines[3_000..]);
        _harness.StartInProcess("moving");
        await _harness.WaitForCount(Topics.Moving, expected.Length, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();

        Assert.Contains("state rebuilt from", _harness.InProcessLogs(), StringComparison.Ordinal);
        Assert.Equal(expected, TopicReader.ReadAll(_harness.BootstrapServers, Topics.Moving));
    }

    // Writes prices in order, each symbol to a partition of its own, timestamped in that order, in one
    // large batch per partition (as a producer with a long linger, or a broker's one-megabyte fetches).
    private void ProduceInLargeBatches(IEnumerable<string> prices)
    {
        _ = NativeLibrdkafka.Handle;
        var config = new ProducerConfig { BootstrapServers = _harness.BootstrapServers, EnableIdempotence = true, LingerMs = 2_000, BatchNumMessages = 100_000, BatchSize = 10_000_000 };
        using IProducer<string, string> producer = new ProducerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        foreach (string line in prices)
        {
            var partition = new TopicPartition(Topics.Price, line.Contains("BTCUSDT", StringComparison.Ordinal) ? 0 : 1);
            producer.Produce(partition, new Message<string, string> { Key = "price", Value = line, Timestamp = new Timestamp(_nextTimestamp++, TimestampType.CreateTime) });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

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
