using System.CommandLine;
using Btc.Rx.Time;

namespace Btc.Cli.Commands;

/// <summary>Options shared by several commands, with their parsers, so every command reads them alike.</summary>
internal static class CommonOptions
{
    public static DurationOption AllowedLateness() =>
        new("--allowed-lateness", "How late a record may be and still count: records more than this behind the largest timestamp seen are reported and dropped.", "10s");

    public static DurationOption Horizon()
    {
        var horizon = new DurationOption("--horizon", "How far the bonus looks ahead for a higher or lower price.", "20s");
        // A horizon of 0 has no instant to look at: (t, t + 0] is empty.
        horizon.Check(value => value is not { } given || given > TimeSpan.Zero, "--horizon must be longer than 0.");
        return horizon;
    }

    /// <summary>A Kafka topic name; one Kafka would refuse (or, empty, one its client fails on) is refused here.</summary>
    public static Option<string> TopicOption(string name, string description, string defaultTopic)
    {
        var option = new Option<string>(name) { Description = description, HelpName = "TOPIC", DefaultValueFactory = _ => defaultTopic };
        option.Check(value => Kafka.Topics.IsValidName(value)
            ? null
            : $"{name}: '{value}' is not a Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'.");
        return option;
    }

    /// <summary>A duration that may be left out (null: no limit, no timeout); when given, it must be positive and at most <see cref="DurationOption.Max"/>.</summary>
    public static Option<TimeSpan?> OptionalDurationOption(string name, string description, string example) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            string text = result.Tokens.Single().Value;
            if (!Duration.TryParse(text, out TimeSpan duration) || duration <= TimeSpan.Zero)
            {
                result.AddError($"{name}: '{text}' is not a positive duration such as {example}.");
                return null;
            }

            return DurationOption.AtMostMax(result, name, text, duration);
        },
    };
}
