using Btc.Rx.Tests.Support;

namespace Btc.Cli.Tests;

/// <summary>
/// The tool as <c>./btc</c> builds it for a user: native code where a C toolchain is installed. Made
/// once for the tests that need it, by running <c>./btc --version</c> as a user's first command would
/// (a minute or two when the sources changed, nothing otherwise).
/// </summary>
public sealed class NativeBuild
{
    public NativeBuild()
    {
        var (exitCode, output, error) = ChildCommand.Bash.Run(null, TimeSpan.FromMinutes(10), Path.Combine(RepositoryPaths.Root, "btc"), "--version");
        Assert.True(exitCode == 0, $"./btc --version failed:\n{output}\n{error}");
        // ./btc writes which build it made: "native …", or "portable: " and why not native.
        Kind = File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".btc-build", "kind")).Trim();
    }

    /// <summary>What <c>./btc</c> says it built.</summary>
    public string Kind { get; }

    public bool IsNative => Kind.StartsWith("native", StringComparison.Ordinal);

    /// <summary>The native executable (only when <see cref="IsNative"/>).</summary>
    internal ChildCommand Executable => ChildCommand.Native(Path.Combine(RepositoryPaths.Root, ".btc-build", "bin", "btc"));

    /// <summary>
    /// Skips a test where this machine has no C toolchain (./btc then builds the portable tool, which
    /// the rest of the suite tests), and fails it where the native build was tried and failed.
    /// </summary>
    public void SkipUnlessNative()
    {
        Assert.False(Kind.Contains("native build failed", StringComparison.Ordinal), Kind);
        Skip.IfNot(IsNative, "./btc made no native build here (" + Kind + ")");
    }
}
