namespace Btc.Cli.Output;

/// <summary>The check of an <c>--output-dir</c> before a command starts writing into it.</summary>
internal static class OutputFolder
{
    /// <summary>Creates the folder when it is missing; one sentence on why it cannot be used, or null when it can.</summary>
    public static string? Prepare(string path)
    {
        if (File.Exists(path))
        {
            return $"'{path}' is a file; --output-dir takes a folder.";
        }

        try
        {
            Directory.CreateDirectory(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Cannot create the output folder '{path}': {e.Message}";
        }
    }
}
