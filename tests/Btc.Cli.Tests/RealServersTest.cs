using Testcontainers.Kafka;
using Testcontainers.MongoDb;

namespace Btc.Cli.Tests;

/// <summary>
/// The Kafka stages and load against a real Kafka broker and a real MongoDB in Docker, with the same
/// exactness check as over the development broker; skipped where no Docker engine runs.
/// </summary>
public class RealServersTest
{
    [SkippableFact]
    public async Task Chain_OverRealKafkaAndMongoDb_GivesExactlyThePipelineRecords()
    {
        Skip.IfNot(DockerEngine.IsAvailable, "no Docker engine answers here; real-server tests run where one does");
        await using KafkaContainer kafka = new KafkaBuilder("confluentinc/cp-kafka:7.6.1").Build();
        await using MongoDbContainer mongo = new MongoDbBuilder("mongo:7.0").Build();
        await Task.WhenAll(kafka.StartAsync(), mongo.StartAsync());

        using var harness = new StageHarness(kafka.GetBootstrapAddress(), mongo.GetConnectionString());
        harness.AssertChainGivesPipelineRecords(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(60));
    }
}
