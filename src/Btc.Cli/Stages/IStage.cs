using Confluent.Kafka;

namespace Btc.Cli.Stages;

/// <summary>One stage of the pipeline as <see cref="StageRunner"/> drives it: records in, outputs made durable on request.</summary>
internal interface IStage : IDisposable
{
    /// <summary>The stage's name: the rejected records' <c>stage</c> and the log category.</summary>
    string Name { get; }

    /// <summary>The topics the stage consumes.</summary>
    IReadOnlyList<string> InputTopics { get; }

    /// <summary>The topics the stage writes (created at start where the broker allows).</summary>
    IReadOnlyList<string> OutputTopics { get; }

    /// <summary>True when the stage keeps state that must be rebuilt from its input after a restart.</summary>
    bool RebuildsState { get; }

    /// <summary>
    /// The watermark of the stage's btc-price acceptance, the one an idle timeout moves on;
    /// <see cref="long.MinValue"/> for a stage without one.
    /// </summary>
    long Watermark => long.MinValue;

    /// <summary>
    /// The input partitions the stage was assigned, before its first record, and how to tell whether
    /// one has been read to its end (as far as the consumer last heard from the broker, without asking).
    /// </summary>
    void Assigned(IEnumerable<TopicPartition> partitions, Func<TopicPartition, bool> readToEnd)
    {
    }

    /// <summary>Prepares outside resources (collections, indexes) before the first record; the token is Ctrl+C.</summary>
    void Start(CancellationToken cancellationToken)
    {
    }

    /// <summary>
    /// Handles one input record. A replayed record (before the committed offset) only rebuilds state:
    /// what it produces was made durable before the commit, so it is not sent again.
    /// </summary>
    void OnRecord(ConsumeResult<string?, byte[]> record, bool replay);

    /// <summary>Makes every output handed out so far durable; false when some could not be, so nothing is committed.</summary>
    bool Flush(CancellationToken cancellationToken);

    /// <summary>One line of counts for the log.</summary>
    string Describe();
}
