namespace Btc.Rx.Tests.Support;

/// <summary>Where the repository and the shared folder beside it are, found from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file in <c>../shared</c>, or null when the shared folder is not beside the repository.</summary>
    public static string? Shared(params string[] parts)
    {
        string path = Path.GetFullPath(Path.Combine([Root, "..", "shared", .. parts]));
        return File.Exists(path) ? path : null;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "btc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("btc.sln not found above the test folder");
    }
}
