using System.CommandLine;
using System.CommandLine.Parsing;
using Btc.Rx.Time;

namespace Btc.Cli.Commands;

/// <summary>
/// A duration option (<c>10s</c>, <c>100ms</c>, <c>1m</c>) with a default that <c>--help</c> shows the way
/// it is typed. System.CommandLine's help prints a default's <c>ToString()</c>, <c>00:00:10</c>, a form
/// these options reject; so the option has no default of its own, its description names it, and
/// <see cref="ValueIn"/> applies it.
/// </summary>
internal sealed class DurationOption : Option<TimeSpan?>
{
    /// <summary>
    /// The longest duration any option takes. The timers that wait for a duration take at most about
    /// 49 days at once: <c>--duration 2000h</c> left a trade stream waiting for nothing, for good.
    /// </summary>
    public static readonly TimeSpan Max = TimeSpan.FromHours(1_000);

    public DurationOption(string name, string description, string defaultText)
        : base(name)
    {
        Default = Duration.Parse(defaultText);
        Description = $"{description} [default: {defaultText}]";
        HelpName = "DURATION";
        CustomParser = result =>
        {
            string text = result.Tokens.Single().Value;
            if (!Duration.TryParse(text, out TimeSpan duration))
            {
                result.AddError($"{name}: '{text}' is not a duration; use a whole number with ms, s, m or h, for example 10s or 100ms.");
                return null;
            }

            return AtMostMax(result, name, text, duration);
        };
    }

    /// <summary>
    /// <paramref name="duration"/>, parsed from <paramref name="text"/>, when it is at most <see cref="Max"/>;
    /// otherwise null, and the parse fails with a sentence that says so.
    /// </summary>
    public static TimeSpan? AtMostMax(ArgumentResult result, string name, string text, TimeSpan duration)
    {
        if (duration <= Max)
        {
            return duration;
        }

        result.AddError($"{name}: '{text}' is longer than {Duration.Format(Max)}, the longest duration btc takes.");
        return null;
    }

    public TimeSpan Default { get; }

    /// <summary>The value given on the command line, or the default.</summary>
    public TimeSpan ValueIn(ParseResult parseResult) => parseResult.GetValue(this) ?? Default;
}
