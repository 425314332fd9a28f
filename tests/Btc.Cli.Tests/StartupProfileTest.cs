namespace Btc.Cli.Tests;

public class StartupProfileTest
{
    [Theory]
    [InlineData(new[] { "pipeline", "--input", "x" }, "pipeline.profile")]
    [InlineData(new[] { "demo" }, "demo.profile")]
    [InlineData(new[] { "--help" }, "help.profile")]
    [InlineData(new string[0], "help.profile")]
    [InlineData(new[] { "../etc" }, "help.profile")]
    [InlineData(new[] { "" }, "help.profile")]
    public void OneProfilePerSubcommand_AndNoPathsFromArguments(string[] args, string expected) =>
        Assert.Equal(expected, StartupProfile.ProfileName(args));

    [Fact]
    public void AFolderThatCannotBeCreated_IsNoError()
    {
        string file = Path.GetTempFileName();
        try
        {
            // A folder under a regular file cannot exist: the tool starts without a profile.
            StartupProfile.Start(["pipeline"], Path.Combine(file, "jit-profiles"));
            Assert.True(File.Exists(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
