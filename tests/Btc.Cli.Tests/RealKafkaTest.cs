using System.Text;
using Btc.Cli.Kafka;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Btc.Rx.Tests.Support;
using Testcontainers.Kafka;

namespace Btc.Cli.Tests;

/// <summary>The same extract as against the mock cluster, against a real Kafka broker in Docker; skipped where no Docker engine runs.</summary>
public class RealKafkaTest
{
    [SkippableFact]
    public async Task ExtractReplay_ToARealKafka_PublishesEveryValidLine()
    {
        Skip.IfNot(DockerEngine.IsAvailable, "no Docker engine answers here; real-Kafka tests run where one does");
        await using KafkaContainer kafka = new KafkaBuilder("confluentinc/cp-kafka:7.6.1").Build();
        await kafka.StartAsync();
        string bootstrap = kafka.GetBootstrapAddress();

        string input = Path.Combine(RepositoryPaths.Root, "samples", "data", "btc-price.jsonl");
        var (exitCode, _, stderr) = CliRunner.Run("extract", "--source", "replay", "--input", input, "--bootstrap-servers", bootstrap);
        Assert.True(exitCode == 0, stderr);

        var parser = new PriceRecordParser();
        var expected = new List<(string, string)>();
        foreach (string line in File.ReadLines(input))
        {
            if (parser.TryParse(Encoding.UTF8.GetBytes(line), out PriceTick tick, out _))
            {
                expected.Add((tick.Symbol, TopicJson.ToString(w => TopicJson.WritePrice(w, tick))));
            }
        }

        List<(string Key, string Value)> published = KafkaTestClient.ConsumeMessages(bootstrap, Topics.Price, "real-kafka", expected.Count, TimeSpan.FromSeconds(120));
        Assert.Equal(expected.OrderBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Item2, StringComparer.Ordinal),
            published.OrderBy(e => e.Key, StringComparer.Ordinal).ThenBy(e => e.Value, StringComparer.Ordinal));
    }
}
