using System.Diagnostics;
using System.Reactive.Concurrency;
using Btc.Cli.Kafka;
using Btc.Cli.Stages;
using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Btc.Bench;

/// <summary>
/// The stages' own work per price without Kafka: <c>moving</c> and <c>bonus</c> handed 200,000 consumed
/// records as replayed input, so they parse, run their operators and serialize their outputs, and the
/// publisher drops the values. Beside the Kafka figures it shows how much of a stage's time is Kafka's.
/// </summary>
internal static class StageLogicBenchmark
{
    public static void Run(ResultTable table)
    {
        var walk = new Btc.Cli.Sources.SyntheticPrices(["BTCUSDT"], 1);
        long start = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        const int Records = 200_000;
        var records = new ConsumeResult<string?, byte[]>[Records];
        for (int i = 0; i < Records; i++)
        {
            PriceTick tick = walk.At(start + (i * 100L)).Single();
            byte[] value = System.Text.Encoding.UTF8.GetBytes(TopicJson.ToString(w => TopicJson.WritePrice(w, tick)));
            records[i] = new ConsumeResult<string?, byte[]> { Topic = Topics.Price, Partition = 0, Offset = i, Message = new Message<string?, byte[]> { Key = "BTCUSDT", Value = value } };
        }

        // Never connects: every value is published as replayed input, which the publisher drops.
        var kafka = new KafkaSettings { BootstrapServers = "localhost:1" };
        using var publisher = new KafkaPublisher(kafka, NullLogger.Instance);
        foreach (string name in (string[])["moving", "bonus"])
        {
            for (int round = 0; round < 4; round++)
            {
                var context = new StageContext(new StageSettings { Kafka = kafka, GroupId = "bench" }, publisher, new HistoricalScheduler(), NullLogger.Instance);
                using IStage stage = name == "moving" ? new MovingStage(context) : new BonusStage(context);
                var clock = Stopwatch.StartNew();
                foreach (var r in records)
                {
                    stage.OnRecord(r, replay: true);
                }

                // Rounds 0-2 compile and warm up; the last is timed.
                if (round == 3)
                {
                    table.AddRate("kafka stages", $"btc {name}'s own work, without Kafka", Records, clock.Elapsed, "parse, operators, serialization of its outputs");
                }
            }
        }
    }
}
