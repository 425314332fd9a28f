using System.CommandLine;
using Btc.Cli.Stages;

namespace Btc.Cli.Commands;

/// <summary>The options every Kafka stage command shares, bound into <see cref="StageSettings"/>.</summary>
internal sealed class StageOptions(string stage)
{
    private readonly KafkaOptions _kafka = new();

    public Option<string> GroupId { get; } = new("--group-id")
    {
        HelpName = "GROUP",
        Description = "The consumer group whose committed offsets record how far the stage got.",
        DefaultValueFactory = _ => "btc-" + stage,
    };

    public DurationOption AllowedLateness { get; } = CommonOptions.AllowedLateness();

    public Option<TimeSpan?> IdleTimeout { get; } = CommonOptions.OptionalDurationOption(
        "--idle-timeout",
        "When an input has been quiet this long (read to its end; time the broker is down does not count), its watermark moves past everything seen, so results are final without more data; later records at or before that point are late. Each such advance is kept in btc-idle-advances, so a restarted stage makes it again. Off by default.",
        "5s");

    public DurationOption CommitInterval { get; } = new("--commit-interval", "How often outputs are flushed and input offsets committed.", "1s");

    public Option<string> PriceTopic { get; } = TopicOption("--topic-price", Kafka.Topics.Price);

    public Option<string> MovingTopic { get; } = TopicOption("--topic-moving", Kafka.Topics.Moving);

    public Option<string> ZScoreTopic { get; } = TopicOption("--topic-zscore", Kafka.Topics.ZScore);

    public Option<string> HigherTopic { get; } = TopicOption("--topic-higher", Kafka.Topics.Higher);

    public Option<string> LowerTopic { get; } = TopicOption("--topic-lower", Kafka.Topics.Lower);

    public Option<string> RejectedTopic { get; } = TopicOption("--topic-rejected", Kafka.Topics.Rejected);

    public void AddTo(Command command, params Option<string>[] topics)
    {
        command.Options.Add(GroupId);
        command.Options.Add(AllowedLateness);
        command.Options.Add(IdleTimeout);
        command.Options.Add(CommitInterval);
        foreach (Option<string> topic in topics)
        {
            command.Options.Add(topic);
        }

        _kafka.AddTo(command);
        CommitInterval.Check(interval => interval is not { } given || given > TimeSpan.Zero, "--commit-interval must be longer than 0.");
        // Kafka refuses an empty group id, and its client failed with a stack trace.
        GroupId.Check(group => !string.IsNullOrEmpty(group), "--group-id must not be empty.");
    }

    public StageSettings Bind(ParseResult parseResult) => new()
    {
        Kafka = _kafka.Bind(parseResult),
        GroupId = parseResult.GetValue(GroupId)!,
        AllowedLateness = AllowedLateness.ValueIn(parseResult),
        IdleTimeout = parseResult.GetValue(IdleTimeout),
        CommitInterval = CommitInterval.ValueIn(parseResult),
        Topics = new StageTopics
        {
            Price = parseResult.GetValue(PriceTopic)!,
            Moving = parseResult.GetValue(MovingTopic)!,
            ZScore = parseResult.GetValue(ZScoreTopic)!,
            Higher = parseResult.GetValue(HigherTopic)!,
            Lower = parseResult.GetValue(LowerTopic)!,
            Rejected = parseResult.GetValue(RejectedTopic)!,
        },
    };

    private static Option<string> TopicOption(string name, string defaultTopic) =>
        CommonOptions.TopicOption(name, $"The {defaultTopic} topic's name.", defaultTopic);
}
