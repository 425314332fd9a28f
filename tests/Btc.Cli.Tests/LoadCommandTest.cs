using System.Diagnostics;
using Btc.Cli.Kafka;
using Btc.Cli.Tests.MongoWire;

namespace Btc.Cli.Tests;

/// <summary><c>btc load</c> and the demo's loading when MongoDB refuses for good rather than being down for a while.</summary>
public sealed class LoadCommandTest : IDisposable
{
    private readonly MockCluster _cluster = new();
    private readonly MongoWireServer _mongo = new();

    public LoadCommandTest() => _cluster.CreateTopic(Topics.ZScore, partitions: 1);

    public void Dispose()
    {
        _mongo.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public void AUserWithoutTheRightToWrite_StopsTheLoadInOneSentence_InsteadOfRetryingForever()
    {
        // A down MongoDB is waited for; an Unauthorized answer (code 13) would be answered the same way every time.
        _mongo.Store.RefusesWrites = true;
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, _, stderr) = CliRunner.Run("load", "--bootstrap-servers", _cluster.BootstrapServers, "--mongo-uri", _mongo.ConnectionString);
        Assert.Equal(1, exitCode);
        Assert.Contains("btc load: MongoDB refused creating collections and indexes: Command create failed: not authorized on btc", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("retrying", stderr, StringComparison.Ordinal);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void TheDemo_WithAMongoDBThatRefusesWrites_EndsInOneSentence()
    {
        _mongo.Store.RefusesWrites = true;
        using var folder = new TempFolder();
        var (exitCode, _, stderr) = CliRunner.Run("demo", "--source", "synthetic", "--duration", "30s", "--mongo-uri", _mongo.ConnectionString, "--output-dir", folder.File("out"));
        Assert.Equal(1, exitCode);
        Assert.Contains("btc demo: MongoDB refused creating collections and indexes: Command create failed: not authorized on btc", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
