using Btc.Rx.Tests.Support;

namespace Btc.Cli.Tests;

/// <summary>Runs the btc command line in-process (captured writers) or as a child process (for standard input).</summary>
internal static class CliRunner
{
    /// <summary>
    /// The tool as its own project builds it. The copy beside the tests is not runnable on its own: this
    /// project brings ASP.NET Core (for the fake Binance), so the tool's logging assemblies come from
    /// that framework here instead of being copied.
    /// </summary>
    public static string BtcDll { get; } = Path.Combine(
        RepositoryPaths.Root, "src", "Btc.Cli", "bin", AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug", "net10.0", "btc.dll");

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = BtcCommand.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built btc tool as a child process with <paramref name="standardInput"/> on its standard input.</summary>
    public static (int ExitCode, string Output, string Error) RunProcess(string standardInput, params string[] args) =>
        ChildCommand.Btc.Run(standardInput, TimeSpan.FromSeconds(60), args);
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
