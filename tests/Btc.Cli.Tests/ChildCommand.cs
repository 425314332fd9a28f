using System.Diagnostics;

namespace Btc.Cli.Tests;

/// <summary>
/// A program the tests run as a child process, with arguments of its own in front of the test's:
/// <see cref="Btc"/> is the tool as this solution builds it (<c>dotnet btc.dll</c>), <see cref="Native"/>
/// the executable <c>./btc</c> builds from native code, <see cref="Dotnet"/> the SDK itself and
/// <see cref="Bash"/> a shell for scripts.
/// </summary>
internal sealed class ChildCommand
{
    private readonly string _fileName;
    private readonly string[] _leadingArguments;

    private ChildCommand(string fileName, params string[] leadingArguments)
    {
        _fileName = fileName;
        _leadingArguments = leadingArguments;
    }

    public static ChildCommand Dotnet { get; } = new("dotnet");

    public static ChildCommand Bash { get; } = new("bash");

    /// <summary>The btc tool as its own project builds it, run by <c>dotnet</c>.</summary>
    public static ChildCommand Btc { get; } = new("dotnet", CliRunner.BtcDll);

    /// <summary>A native executable, started directly.</summary>
    public static ChildCommand Native(string path) => new(path);

    /// <summary>Starts the program with <paramref name="args"/>, standard output and error redirected (and standard input when asked).</summary>
    public Process Start(IEnumerable<string> args, bool redirectInput = false)
    {
        var start = new ProcessStartInfo(_fileName)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (string arg in (string[])[.. _leadingArguments, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs the program to completion (killed after <paramref name="timeout"/>) and returns what it printed.</summary>
    public (int ExitCode, string Output, string Error) Run(string? standardInput, TimeSpan timeout, params string[] args)
    {
        using Process process = Start(args, redirectInput: standardInput is not null);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{this} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    public override string ToString() => string.Join(' ', [_fileName, .. _leadingArguments]);
}
