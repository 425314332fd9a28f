using System.CommandLine;

namespace Btc.Cli.Commands;

/// <summary>Checks of an option's value beyond what its parser accepts (a range, a non-empty list).</summary>
internal static class OptionChecks
{
    /// <summary>
    /// Adds a check: when the given value is not <paramref name="isValid"/>, parsing fails with
    /// <paramref name="message"/>. A value that did not parse at all is left to its parser's error:
    /// System.CommandLine runs validators even then, and reading such a value throws, which ended the
    /// process with a stack trace (<c>--interval abc</c>).
    /// </summary>
    public static void Check<T>(this Option<T> option, Func<T?, bool> isValid, string message) =>
        option.Check(value => isValid(value) ? null : message);

    /// <summary>Adds a check whose message depends on the value: <paramref name="problem"/> gives it, or null when the value is fine.</summary>
    public static void Check<T>(this Option<T> option, Func<T?, string?> problem) =>
        option.Validators.Add(result =>
        {
            T? value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // the parser's own error says why
            }

            if (problem(value) is { } message)
            {
                result.AddError(message);
            }
        });
}
