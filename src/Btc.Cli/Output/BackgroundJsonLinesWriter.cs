using System.Buffers;
using System.Collections.Concurrent;

namespace Btc.Cli.Output;

/// <summary>
/// Serializes records to a JSON Lines file on a thread of its own. Formatting doubles is most of the
/// cost of writing the moving and z-score topics, so moving it off the thread that runs the operators
/// lets a two-core machine use both cores. Records are handed over in batches (no per-record
/// synchronization) through a bounded queue, so memory stays flat when the disk is slower.
/// </summary>
internal sealed class BackgroundJsonLinesWriter<T> : IDisposable
{
    private const int BatchSize = 4096;
    private const int BatchesInFlight = 16;
    private readonly JsonLinesFile _file;
    private readonly Action<IBufferWriter<byte>, T> _serialize;
    private readonly BlockingCollection<T[]> _batches = new(BatchesInFlight);
    private readonly ConcurrentBag<T[]> _spare = [];
    private readonly Thread _thread;
    private T[] _current = new T[BatchSize];
    private int _count;
    private Exception? _failure;
    private bool _completed;

    public BackgroundJsonLinesWriter(string path, Action<IBufferWriter<byte>, T> serialize)
    {
        _file = new JsonLinesFile(path);
        _serialize = serialize;
        _thread = new Thread(Drain) { IsBackground = true, Name = "btc writer " + System.IO.Path.GetFileName(path) };
        _thread.Start();
    }

    public string Path => _file.Path;

    /// <summary>Records written so far; exact after <see cref="Complete"/>.</summary>
    public long Records => _file.Records;

    public void Add(T record)
    {
        _current[_count++] = record;
        if (_count == BatchSize)
        {
            Hand(_current, _count);
            _current = _spare.TryTake(out T[]? spare) ? spare : new T[BatchSize];
            _count = 0;
        }
    }

    /// <summary>Writes everything added and waits for the file to be flushed; rethrows a write failure.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_count > 0)
        {
            Hand(_current, _count);
        }

        _batches.CompleteAdding();
        _thread.Join();
        if (_failure is not null)
        {
            throw new IOException($"Writing {_file.Path} failed: {_failure.Message}", _failure);
        }
    }

    public void Dispose()
    {
        try
        {
            Complete();
        }
        finally
        {
            _file.Dispose();
            _batches.Dispose();
        }
    }

    private void Hand(T[] batch, int count)
    {
        // A short last batch is marked by a default-filled tail; the count travels with it instead.
        if (count < batch.Length)
        {
            Array.Resize(ref batch, count);
        }

        _batches.Add(batch);
    }

    private void Drain()
    {
        try
        {
            foreach (T[] batch in _batches.GetConsumingEnumerable())
            {
                foreach (T record in batch)
                {
                    _serialize(_file.Writer, record);
                    _file.EndRecord();
                }

                if (batch.Length == BatchSize)
                {
                    Array.Clear(batch);
                    _spare.Add(batch);
                }
            }

            _file.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failure = e;
            // Keep taking batches so the producer never blocks on a writer that has stopped.
            foreach (T[] _ in _batches.GetConsumingEnumerable())
            {
            }
        }
    }
}
