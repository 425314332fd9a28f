using Btc.Rx.Tests.Support;

namespace Btc.Cli.Tests;

/// <summary>
/// The NuGet sample builds and runs against Btc.Rx packed from this tree, exactly as a user's project
/// would consume it, so a change that breaks the public API fails here.
/// </summary>
public class SampleBuildTest : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ZScoresSample_BuildsAgainstThePackedLibrary_AndRuns()
    {
        // A version of its own, so no earlier package in a cache can stand in for this tree's.
        string version = $"0.1.0-test{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        string feed = _folder.File("feed");
        string project = _folder.File("ZScores");
        Directory.CreateDirectory(project);
        foreach (string file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "samples", "ZScores"), "*.cs*"))
        {
            File.Copy(file, Path.Combine(project, Path.GetFileName(file)));
        }

        Run("pack", Path.Combine(RepositoryPaths.Root, "src", "Btc.Rx", "Btc.Rx.csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}");
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Run("build", project, "-o", _folder.File("out"), $"-p:BtcRxVersion={version}", $"-p:RestoreAdditionalProjectSources={feed}",
            $"-p:RestorePackagesPath={_folder.File("packages")}", $"-p:RestoreFallbackFolders={globalPackages}");

        string output = Run("exec", _folder.File("out/ZScores.dll"));
        Assert.Contains("10:09:00 ETHUSDT  30s", output, StringComparison.Ordinal);
        Assert.Contains("20 lines, 0 late records", output, StringComparison.Ordinal);
    }

    private static string Run(params string[] args)
    {
        var (exitCode, output, error) = ChildCommand.Dotnet.Run(null, TimeSpan.FromMinutes(5), args);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{output}\n{error}");
        return output;
    }
}
