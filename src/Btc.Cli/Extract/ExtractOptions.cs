using Btc.Cli.Kafka;

namespace Btc.Cli.Extract;

/// <summary>What <c>btc extract</c> publishes from, and where.</summary>
internal sealed class ExtractOptions
{
    public required string Source { get; init; }

    public required KafkaSettings Kafka { get; init; }

    public string Topic { get; init; } = Topics.Price;

    /// <summary>replay: the file of btc-price lines.</summary>
    public string? Input { get; init; }

    /// <summary>replay: 0 for as fast as possible, otherwise the speed-up over the records' own timing.</summary>
    public double Pace { get; init; }

    /// <summary>synthetic: symbol names (a number N on the command line makes N names).</summary>
    public IReadOnlyList<string> Symbols { get; init; } = ["BTCUSDT"];

    /// <summary>synthetic: the grid step between records of a symbol.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(100);

    public int Seed { get; init; } = 1;

    /// <summary>synthetic: how long to run; null until Ctrl+C.</summary>
    public TimeSpan? Duration { get; init; }
}
