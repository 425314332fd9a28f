using Btc.Cli.Kafka;
using Btc.Rx.Records;

namespace Btc.Cli.Stages;

/// <summary>What every Kafka stage is configured with; each command binds these from its options.</summary>
internal sealed record StageSettings
{
    public required KafkaSettings Kafka { get; init; }

    /// <summary>The consumer group whose committed offsets say how far the stage got.</summary>
    public required string GroupId { get; init; }

    public StageTopics Topics { get; init; } = new();

    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After this long without input, an input's watermark moves past everything it has seen.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>How often outputs are flushed and input offsets committed.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    public WindowSet Windows { get; init; } = WindowSet.Standard;

    public TimeSpan Horizon { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>The topic names, each overridable (<c>--topic-price</c> and so on).</summary>
internal sealed record StageTopics
{
    public string Price { get; init; } = Kafka.Topics.Price;

    public string Moving { get; init; } = Kafka.Topics.Moving;

    public string ZScore { get; init; } = Kafka.Topics.ZScore;

    public string Higher { get; init; } = Kafka.Topics.Higher;

    public string Lower { get; init; } = Kafka.Topics.Lower;

    public string Rejected { get; init; } = Kafka.Topics.Rejected;
}
