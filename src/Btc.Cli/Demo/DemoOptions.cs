using Btc.Cli.Mongo;
using Btc.Cli.Sources;

namespace Btc.Cli.Demo;

/// <summary>What <c>btc demo</c> runs: the source, how long, where the results go and how it shows them.</summary>
internal sealed record DemoOptions
{
    public required SourceOptions Source { get; init; }

    /// <summary>How long the source runs; null until Ctrl+C.</summary>
    public TimeSpan? Duration { get; init; }

    public string OutputDirectory { get; init; } = "out";

    /// <summary>Also load the z-scores into MongoDB when set.</summary>
    public MongoSettings? Mongo { get; init; }

    /// <summary>A live terminal view; otherwise plain status lines.</summary>
    public bool Live { get; init; }

    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Run each stage as its own process over Kafka.</summary>
    public bool ViaKafka { get; init; }

    /// <summary>With <see cref="ViaKafka"/>: an existing cluster; null starts a development broker.</summary>
    public string? BootstrapServers { get; init; }
}
