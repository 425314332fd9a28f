namespace Btc.Cli.Output;

/// <summary>The checks and the opening of an <c>--input</c> file, shared by the commands that read one.</summary>
internal static class InputFile
{
    /// <summary>One sentence on why <paramref name="path"/> cannot be an input file, or null when it is one.</summary>
    public static string? Problem(string path) =>
        Directory.Exists(path) ? $"'{path}' is a folder; --input takes a file."
        : !File.Exists(path) ? $"The input file '{path}' does not exist."
        : null;

    /// <summary>Opens the file for one pass from start to end.</summary>
    public static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
}
