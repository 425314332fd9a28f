using System.Diagnostics;

namespace Btc.Cli.Tests;

/// <summary>Runs the btc command line in-process (captured writers) or as a child process (for standard input).</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = BtcCommand.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    public static (int ExitCode, string Output, string Error) RunProcess(string standardInput, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "btc.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(standardInput);
        process.StandardInput.Close();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("btc did not finish within 60 s");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("btc-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, IEnumerable<string> lines)
    {
        string path = File(name);
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    public string[] ReadLines(string name) => System.IO.File.ReadAllLines(File(name));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
