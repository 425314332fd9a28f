using System.Buffers;
using System.Text;
using Btc.Cli.Output;

namespace Btc.Cli.Tests;

public sealed class JsonLinesFileTest : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("btc-jsonl-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ANewFile_HoldsTheRecords()
    {
        string path = Path.Combine(_folder, "new.jsonl");
        Write(path, "{\"a\": 1}", "{\"b\": 2}");
        Assert.Equal("{\"a\": 1}\n{\"b\": 2}\n", File.ReadAllText(path));
    }

    [Fact]
    public void AnExistingLongerFile_IsReplacedWhole_NotOverwrittenInPlace()
    {
        string path = Path.Combine(_folder, "old.jsonl");
        File.WriteAllText(path, new string('x', 100_000));
        Write(path, "{}");
        Assert.Equal("{}\n", File.ReadAllText(path));
    }

    [Fact]
    public void AReaderOfTheOldFile_KeepsReadingTheOldContent()
    {
        // The old file is unlinked, not truncated: whoever has it open sees it unchanged.
        string path = Path.Combine(_folder, "read.jsonl");
        File.WriteAllText(path, "old\n");
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        Write(path, "{\"new\": true}");
        Assert.Equal("old", reader.ReadLine());
        Assert.Equal("{\"new\": true}\n", File.ReadAllText(path));
    }

    [Fact]
    public void ASymbolicLink_IsWrittenThrough_AndStaysALink()
    {
        string target = Path.Combine(_folder, "target.jsonl");
        string link = Path.Combine(_folder, "link.jsonl");
        File.WriteAllText(target, "old old old\n");
        File.CreateSymbolicLink(link, target);
        Write(link, "{}");
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("{}\n", File.ReadAllText(target));
    }

    [SkippableFact]
    public async Task ANamedPipe_IsWrittenInto_NotReplaced()
    {
        // An output can be a pipe another program reads the records from as they come.
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs mkfifo");
        string path = Path.Combine(_folder, "pipe.jsonl");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Task<string> read = Task.Run(() => File.ReadAllText(path));
        Write(path, "{\"a\": 1}", "{\"b\": 2}");
        Assert.Equal("{\"a\": 1}\n{\"b\": 2}\n", await read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, new FileInfo(path).Length); // still the pipe: a file would hold the records
    }

    private static void Write(string path, params string[] records)
    {
        using var file = new JsonLinesFile(path);
        foreach (string record in records)
        {
            file.Writer.Write(Encoding.UTF8.GetBytes(record));
            file.EndRecord();
        }
    }
}
