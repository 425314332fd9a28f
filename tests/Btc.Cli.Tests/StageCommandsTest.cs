namespace Btc.Cli.Tests;

/// <summary>The stage commands' arguments: a value that cannot work fails at once, in one sentence, and says no secret.</summary>
public class StageCommandsTest
{
    [Theory]
    [InlineData(new[] { "load", "--mongo-uri", "notauri" }, "btc load: --mongo-uri (or BTC_MONGO_URI) is not a MongoDB connection string")]
    [InlineData(new[] { "load", "--mongo-uri", "mongodb://user:hunter2@127.0.0.1:notaport" }, "btc load: --mongo-uri (or BTC_MONGO_URI) is not a MongoDB connection string")]
    [InlineData(new[] { "demo", "--source", "synthetic", "--duration", "1s", "--mongo-uri", "mongodb://user:hunter2@127.0.0.1:notaport" }, "btc demo: --mongo-uri (or BTC_MONGO_URI) is not a MongoDB connection string")]
    [InlineData(new[] { "moving", "--bootstrap-servers", "" }, "--bootstrap-servers needs at least one HOST:PORT.")]
    [InlineData(new[] { "zscore", "--bootstrap-servers", " , " }, "--bootstrap-servers needs at least one HOST:PORT.")]
    [InlineData(new[] { "demo", "--source", "synthetic", "--symbols", "0", "--duration", "1s" }, "--symbols needs at least one symbol, or a count of generated ones from 1 to 100,000.")]
    public void AnArgumentThatCannotWork_FailsAtOnceInOneSentence_WithoutItsSecret(string[] args, string message)
    {
        string[] bootstrap = args.Contains("--bootstrap-servers") ? [] : ["--bootstrap-servers", "127.0.0.1:1"];
        var (exitCode, _, stderr) = CliRunner.Run([.. args, .. args[0] == "demo" ? [] : bootstrap]);
        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
