using System.CommandLine;
using System.CommandLine.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Time;

namespace Btc.Cli.Commands;

/// <summary>Options shared by several commands, with their parsers, so every command reads them alike.</summary>
internal static class CommonOptions
{
    public static Option<TimeSpan> AllowedLateness() =>
        DurationOption("--allowed-lateness", "How late a record may be and still count: records more than this behind the largest timestamp seen are reported and dropped.", "10s");

    public static Option<TimeSpan> Horizon() =>
        DurationOption("--horizon", "How far the bonus looks ahead for a higher or lower price.", "20s");

    public static Option<WindowSet> Windows() => new("--windows")
    {
        Description = "Comma-separated window lengths for the moving statistics and z-scores, in output order.",
        HelpName = "LIST",
        DefaultValueFactory = _ => WindowSet.Standard,
        CustomParser = result =>
        {
            try
            {
                return WindowSet.Parse(result.Tokens.Single().Value);
            }
            catch (FormatException e)
            {
                result.AddError($"--windows: {e.Message}");
                return WindowSet.Standard;
            }
        },
    };

    public static Option<TimeSpan> DurationOption(string name, string description, string defaultText)
    {
        TimeSpan defaultValue = Duration.Parse(defaultText);
        return new Option<TimeSpan>(name)
        {
            Description = description,
            HelpName = "DURATION",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseDuration(result, name),
        };
    }

    /// <summary>A duration that may be left out (null: no limit, no timeout); when given, it must be positive.</summary>
    public static Option<TimeSpan?> OptionalDurationOption(string name, string description, string example) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            string text = result.Tokens.Single().Value;
            if (Duration.TryParse(text, out TimeSpan duration) && duration > TimeSpan.Zero)
            {
                return duration;
            }

            result.AddError($"{name}: '{text}' is not a positive duration such as {example}.");
            return null;
        },
    };

    private static TimeSpan ParseDuration(ArgumentResult result, string name)
    {
        string text = result.Tokens.Single().Value;
        if (Duration.TryParse(text, out TimeSpan duration))
        {
            return duration;
        }

        result.AddError($"{name}: '{text}' is not a duration; use a whole number with ms, s, m or h, for example 10s or 100ms.");
        return default;
    }
}
