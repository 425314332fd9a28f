using Btc.Rx.Tests.Support;

namespace Btc.Cli.Tests;

/// <summary>The documentation stays true: the contract is copied verbatim, the README's commands exist.</summary>
public class DocsTest
{
    private static readonly string Root = RepositoryPaths.Root;

    [SkippableFact]
    public void SemanticsDoc_StartsWithTheSharedContractVerbatim()
    {
        string? shared = RepositoryPaths.Shared("SEMANTICS.md");
        Skip.If(shared is null, "../shared/SEMANTICS.md is not beside the repository");
        string contract = File.ReadAllText(shared!);
        string ours = File.ReadAllText(Path.Combine(Root, "docs", "semantics.md"));
        Assert.StartsWith(contract, ours, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_FirstTwoCommands_AreTheMainJobAndTheTests()
    {
        string[] commands = [.. File.ReadLines(Path.Combine(Root, "README.md")).Where(l => l.StartsWith("./btc ", StringComparison.Ordinal) || l.StartsWith("dotnet ", StringComparison.Ordinal)).Take(2)];
        Assert.Equal(2, commands.Length);
        Assert.StartsWith("./btc ", commands[0], StringComparison.Ordinal);
        Assert.Equal("dotnet test btc.sln", commands[1]);
        Assert.Contains("dotnet test btc.sln", File.ReadAllText(Path.Combine(Root, ".ci", "run")), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_MainJobInput_IsBundled()
    {
        string main = File.ReadLines(Path.Combine(Root, "README.md")).First(l => l.StartsWith("./btc ", StringComparison.Ordinal));
        string[] words = main.Split(' ');
        string input = words[Array.IndexOf(words, "--input") + 1];
        Assert.True(File.Exists(Path.Combine(Root, input)), input);
    }
}
