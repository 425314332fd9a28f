using System.CommandLine;
using Btc.Rx.Records;

namespace Btc.Cli.Commands;

/// <summary>
/// <c>--windows 30s,1m,5m</c>: the moving windows, in output order. Its default is named in the
/// description for the reason <see cref="DurationOption"/> gives (help would print the standard list
/// as <c>00:00:30|00:01:00|…</c>) and applied by <see cref="ValueIn"/>.
/// </summary>
internal sealed class WindowsOption : Option<WindowSet>
{
    public WindowsOption()
        : base("--windows")
    {
        Description = $"Comma-separated window lengths for the moving statistics and z-scores, in output order. [default: {WindowSet.Standard}]";
        HelpName = "LIST";
        CustomParser = result =>
        {
            try
            {
                return WindowSet.Parse(result.Tokens.Single().Value);
            }
            catch (FormatException e)
            {
                result.AddError($"--windows: {e.Message}");
                return null;
            }
        };
    }

    /// <summary>The windows given on the command line, or the standard six.</summary>
    public WindowSet ValueIn(ParseResult parseResult) => parseResult.GetValue(this) ?? WindowSet.Standard;
}
