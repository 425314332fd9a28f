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
    public void Readme_MainJob_IsTheDemo()
    {
        string main = File.ReadLines(Path.Combine(Root, "README.md")).First(l => l.StartsWith("./btc ", StringComparison.Ordinal));
        Assert.StartsWith("./btc demo ", main, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_EveryConcreteBtcCommand_Parses()
    {
        // Lines without [optional] or a|b alternatives are runnable as written (placeholders aside).
        string[] lines = [.. File.ReadLines(Path.Combine(Root, "README.md"))
            .Where(l => l.StartsWith("./btc ", StringComparison.Ordinal) && !l.Contains('[', StringComparison.Ordinal) && !l.Contains('|', StringComparison.Ordinal))
            .Select(l => l.Split('#')[0].Trim())];
        Assert.NotEmpty(lines);
        foreach (string line in lines)
        {
            System.CommandLine.ParseResult result = BtcCommand.Create().Parse(line["./btc ".Length..]);
            Assert.True(result.Errors.Count == 0, line + ": " + string.Join("; ", result.Errors.Select(e => e.Message)));
        }
    }
}
