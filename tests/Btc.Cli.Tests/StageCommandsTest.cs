using System.Diagnostics;
using Btc.Cli.Demo;
using Btc.Cli.Kafka;

namespace Btc.Cli.Tests;

/// <summary>The stage commands' arguments: a value that cannot work fails at once, in one sentence, and says no secret.</summary>
public class StageCommandsTest
{
    [Theory]
    [InlineData(new[] { "load", "--mongo-uri", "notauri" }, "btc load: --mongo-uri (or BTC_MONGO_URI) is not a MongoDB connection string")]
    [InlineData(new[] { "load", "--mongo-uri", "mongodb://user:hunter2@127.0.0.1:notaport" }, "btc load: --mongo-uri (or BTC_MONGO_URI) is not a MongoDB connection string")]
    [InlineData(new[] { "demo", "--source", "synthetic", "--duration", "1s", "--mongo-uri", "mongodb://user:hunter2@127.0.0.1:notaport" }, "btc demo: --mongo-uri (or BTC_MONGO_URI) is not a MongoDB connection string")]
    [InlineData(new[] { "bonus", "--horizon", "0s" }, "--horizon must be longer than 0.")]
    [InlineData(new[] { "moving", "--bootstrap-servers", "" }, "--bootstrap-servers (or BTC_BOOTSTRAP_SERVERS) needs at least one HOST:PORT.")]
    [InlineData(new[] { "zscore", "--bootstrap-servers", " , " }, "--bootstrap-servers (or BTC_BOOTSTRAP_SERVERS) needs at least one HOST:PORT.")]
    [InlineData(new[] { "demo", "--source", "synthetic", "--symbols", "0", "--duration", "1s" }, "--symbols needs at least one symbol, or a count of generated ones from 1 to 100,000.")]
    [InlineData(new[] { "extract", "--interval", "abc" }, "--interval: 'abc' is not a duration")]
    [InlineData(new[] { "extract", "--request-timeout", "x" }, "--request-timeout: 'x' is not a duration")]
    [InlineData(new[] { "demo", "--rate", "abc" }, "Cannot parse argument 'abc' for option '--rate'")]
    [InlineData(new[] { "moving", "--commit-interval", "soon" }, "--commit-interval: 'soon' is not a duration")]
    [InlineData(new[] { "moving", "--commit-interval", "0s" }, "--commit-interval must be longer than 0.")]
    [InlineData(new[] { "bonus", "--horizon", "far" }, "--horizon: 'far' is not a duration")]
    [InlineData(new[] { "load", "--mongo-uri", "mongodb://localhost", "--batch-size", "many" }, "Cannot parse argument 'many' for option '--batch-size'")]
    [InlineData(new[] { "load", "--mongo-uri", "mongodb://localhost", "--batch-size", "0" }, "--batch-size must be 1 to 100000.")]
    [InlineData(new[] { "moving", "--group-id", "" }, "--group-id must not be empty.")]
    [InlineData(new[] { "moving", "--topic-price", "" }, "--topic-price: '' is not a Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'.")]
    [InlineData(new[] { "zscore", "--topic-moving", "my moving!" }, "--topic-moving: 'my moving!' is not a Kafka topic name")]
    [InlineData(new[] { "bonus", "--topic-higher", ".." }, "--topic-higher: '..' is not a Kafka topic name")]
    [InlineData(new[] { "extract", "--source", "synthetic", "--topic", "prices/btc" }, "--topic: 'prices/btc' is not a Kafka topic name")]
    [InlineData(new[] { "load", "--mongo-uri", "mongodb://localhost", "--database", "my.db" }, "--database: 'my.db' is not a MongoDB database name: 1 to 63 characters, none of them / \\ . \" $ or a space.")]
    [InlineData(new[] { "load", "--mongo-uri", "mongodb://localhost", "--database", "" }, "--database: '' is not a MongoDB database name")]
    [InlineData(new[] { "broker", "--partitions", "some" }, "Cannot parse argument 'some' for option '--partitions'")]
    [InlineData(new[] { "broker", "--brokers", "17" }, "--brokers must be 1 to 16.")]
    [InlineData(new[] { "zscore", "--kafka-config-file", "" }, "Cannot parse argument '' for option '--kafka-config-file'")]
    [InlineData(new[] { "zscore", "--kafka-config", "acks" }, "--kafka-config takes key=value, not 'acks'.")]
    [InlineData(new[] { "bonus", "--kafka-config-file", "/" }, "--kafka-config-file: '/' is a folder; it takes a properties file.")]
    [InlineData(new[] { "moving", "--kafka-config", "no.such.setting=1" }, "btc moving: the Kafka client refused its settings: No such configuration property: \"no.such.setting\"")]
    [InlineData(new[] { "load", "--mongo-uri", "mongodb://localhost", "--kafka-config", "security.protocol=SASL_SSL", "--kafka-config", "sasl.mechanism=PLAIN" }, "btc load: the Kafka client refused its settings: sasl.username and sasl.password must be set")]
    [InlineData(new[] { "extract", "--source", "synthetic", "--duration", "1s", "--kafka-config", "sasl.password=bogus", "--kafka-config", "compression.codec=bogus" }, "btc extract: the Kafka client refused its settings: Invalid value \"***\" for configuration property \"compression.codec\"")]
    public void AnArgumentThatCannotWork_FailsAtOnceInOneSentence_WithoutItsSecret(string[] args, string message)
    {
        string[] bootstrap = args.Contains("--bootstrap-servers") || args[0] is "demo" or "broker" ? [] : ["--bootstrap-servers", "127.0.0.1:1"];
        var (exitCode, _, stderr) = CliRunner.Run([.. args, .. bootstrap]);
        Assert.Equal(BtcCommand.UsageError, exitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AKafkaConfigFileLineThatIsNoSetting_FailsInOneSentence_WithoutQuotingIt()
    {
        // Left out quietly, a mistyped secret would make the client run without it.
        string properties = Path.Combine(Path.GetTempPath(), $"btc-test-{Guid.NewGuid():N}.properties");
        File.WriteAllText(properties, "# the cluster\nclient.id=test\n\nsasl.password hunter2\n");
        try
        {
            var (exitCode, _, stderr) = CliRunner.Run(["moving", "--bootstrap-servers", "127.0.0.1:1", "--kafka-config-file", properties]);
            Assert.Equal(BtcCommand.UsageError, exitCode);
            Assert.Contains($"btc moving: --kafka-config-file: line 4 of '{properties}' is not key=value.", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(properties);
        }
    }

    [Theory]
    [InlineData("moving")]
    [InlineData("load")]
    public async Task SigtermWhileNoBrokerAnswers_StopsTheStageAtOnce(string stage)
    {
        // Nothing listens on port 1: the stage is still setting up (topics, metadata) when SIGTERM comes,
        // which waited for the cluster's timeouts, up to System.CommandLine's 30 s grace, before. Its
        // first log line comes as it begins setting up its topics.
        var (exitCode, stdout, stderr, stopping) = await TerminateOnceLogged(
            [stage, "--bootstrap-servers", "127.0.0.1:1", .. stage == "load" ? (string[])["--mongo-uri", "mongodb://127.0.0.1:1"] : []],
            $"{stage}: consuming");
        Assert.True(stopping < TimeSpan.FromSeconds(15), $"btc {stage} took {stopping} to stop");
        Assert.True(exitCode == 0, stderr);
        Assert.Equal($"{stage}: stopped while setting up its topics, before consuming anything", stdout.Trim());
    }

    [Fact]
    public async Task SigtermWhileMongoDbDoesNotAnswer_StopsTheLoadAtOnce_InOneLine()
    {
        // MongoDB's server selection waits 30 s; the signal went unheard during it, and the timeout
        // that ended it then came out as a stack trace.
        using var cluster = new MockCluster();
        var (exitCode, stdout, stderr, stopping) = await TerminateOnceLogged(
            ["load", "--bootstrap-servers", cluster.BootstrapServers, "--mongo-uri", "mongodb://127.0.0.1:1"],
            "load: loading into mongodb://127.0.0.1:1");
        Assert.True(stopping < TimeSpan.FromSeconds(10), $"btc load took {stopping} to stop");
        Assert.True(exitCode == 0, stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("load: stopped while starting, before consuming anything", stdout.Trim());
    }

    // Starts btc, sends SIGTERM once it logged a line containing `logged` (not at a fixed time: a slow
    // start would still be before the handler is there), and returns how it ended and how long that took.
    private static async Task<(int ExitCode, string Stdout, string Stderr, TimeSpan Stopping)> TerminateOnceLogged(string[] args, string logged)
    {
        using Process process = ChildCommand.Btc.Start(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string? line;
        using var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((line = await process.StandardError.ReadLineAsync(waiting.Token)) is not null && !line.Contains(logged, StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        // System.CommandLine takes over SIGTERM once the action's task is returned, which can be a moment
        // after the action logged; what the signal interrupts lasts seconds.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var stopping = Stopwatch.StartNew();
        Assert.True(PosixSignals.Send(process.Id, PosixSignals.Terminate));
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"btc {args[0]} did not stop after SIGTERM");
        }

        return (process.ExitCode, await stdout, await stderr, stopping.Elapsed);
    }
}
