using Btc.Cli.Kafka;
using Btc.Cli.Sources;

namespace Btc.Cli.Extract;

/// <summary>What <c>btc extract</c> publishes from, and where.</summary>
internal sealed class ExtractOptions
{
    /// <summary>binance, binance-ws, replay or synthetic.</summary>
    public required string Source { get; init; }

    public required KafkaSettings Kafka { get; init; }

    public string Topic { get; init; } = Topics.Price;

    /// <summary>replay: the file of btc-price lines.</summary>
    public string? Input { get; init; }

    /// <summary>replay: 0 for as fast as possible, otherwise the speed-up over the records' own timing.</summary>
    public double Pace { get; init; }

    /// <summary>The live sources' settings: symbols, grid interval, seed, Binance URLs.</summary>
    public SourceOptions Live { get; init; } = new();

    /// <summary>Live sources: how long to run; null until Ctrl+C.</summary>
    public TimeSpan? Duration { get; init; }
}
