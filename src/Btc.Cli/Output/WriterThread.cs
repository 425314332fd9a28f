using System.Collections.Concurrent;

namespace Btc.Cli.Output;

/// <summary>
/// One thread that runs write jobs in the order they were posted. Several files can share one, so
/// the process does not start more busy threads than the machine has cores; the queue is bounded, so
/// a producer faster than the disk waits instead of filling memory.
/// </summary>
internal sealed class WriterThread : IDisposable
{
    // Eight jobs keep both cores busy; more only keeps records alive longer (see BackgroundJsonLinesWriter).
    private readonly BlockingCollection<Action> _jobs = new(boundedCapacity: 8);
    private readonly Thread _thread;
    private Exception? _failure;

    public WriterThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public void Post(Action job)
    {
        ThrowIfFailed();
        _jobs.Add(job);
    }

    /// <summary>Runs every job posted so far and stops the thread; rethrows a write failure.</summary>
    public void Complete()
    {
        if (!_jobs.IsAddingCompleted)
        {
            _jobs.CompleteAdding();
        }

        _thread.Join();
        ThrowIfFailed();
    }

    public void Dispose()
    {
        try
        {
            Complete();
        }
        finally
        {
            _jobs.Dispose();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            // A new exception, so its stack shows where the failure reached the producer; the inner one shows the write.
            throw new OutputWriteException(_failure.Message, _failure);
        }
    }

    private void Run()
    {
        foreach (Action job in _jobs.GetConsumingEnumerable())
        {
            if (_failure is not null)
            {
                continue; // keep draining so producers never block on a thread that has stopped
            }

            try
            {
                job();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failure = e;
            }
        }
    }
}
