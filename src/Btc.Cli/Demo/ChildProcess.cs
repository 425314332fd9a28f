using System.Diagnostics;

namespace Btc.Cli.Demo;

/// <summary>
/// A btc subcommand run as a child process, its output and log lines kept in a file. It is stopped
/// with SIGTERM, which btc handles as it handles Ctrl+C (flush, commit), and which, unlike SIGINT, a
/// process started in the background by a shell cannot be ignoring; it is killed if it does not exit
/// in time.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    public ChildProcess(string name, string logFile, params string[] args)
    {
        Name = name;
        _log = new StreamWriter(logFile) { AutoFlush = true };
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        // The same btc as this one: the executable itself (apphost or native build), or `dotnet btc.dll`
        // when run through dotnet, where the first command-line argument is the path of btc.dll.
        string host = Environment.ProcessPath!;
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Write(e.Data, first: true);
        _process.ErrorDataReceived += (_, e) => Write(e.Data, first: false);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The first line the child printed on standard output.</summary>
    public Task<string> FirstLine => _firstLine.Task;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Asks the child to stop as Ctrl+C does (SIGTERM) and waits; kills it when it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        if (!PosixSignals.Send(_process.Id, PosixSignals.Terminate))
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Write(string? line, bool first)
    {
        if (line is null)
        {
            return;
        }

        if (first)
        {
            _firstLine.TrySetResult(line);
        }

        lock (_log)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
