using System.Buffers;
using System.Collections.Concurrent;

namespace Btc.Cli.Output;

/// <summary>
/// Serializes records to a JSON Lines file on a <see cref="WriterThread"/>. Formatting doubles is most
/// of the cost of writing the moving and z-score topics, so moving it off the thread that runs the
/// operators lets a two-core machine use both cores. Records are handed over in batches, so there is
/// no synchronization per record; batch arrays are reused.
/// </summary>
internal sealed class BackgroundJsonLinesWriter<T> : IDisposable
{
    // Records waiting for a writer are alive for the garbage collector, which copies them when they
    // outlive a gen0 budget: with batches of 4,096 and 32 batches queued, ~260,000 records could be in
    // flight and GC pauses added up to 50-120 ms per million records; with 1,024 and 8, about 7 ms.
    private const int BatchSize = 1024;
    private readonly JsonLinesFile _file;
    private readonly WriterThread _thread;
    private readonly Action<IBufferWriter<byte>, T> _serialize;
    private readonly ConcurrentBag<T[]> _spare = [];
    private T[] _current = new T[BatchSize];
    private int _count;

    public BackgroundJsonLinesWriter(string path, WriterThread thread, Action<IBufferWriter<byte>, T> serialize)
    {
        _file = new JsonLinesFile(path);
        _thread = thread;
        _serialize = serialize;
    }

    public string Path => _file.Path;

    /// <summary>Records written so far; exact once the writer thread completed.</summary>
    public long Records => _file.Records;

    public void Add(T record)
    {
        _current[_count++] = record;
        if (_count == BatchSize)
        {
            Hand();
        }
    }

    /// <summary>Hands over what is buffered and, on the writer thread, flushes the file.</summary>
    public void Flush()
    {
        Hand();
        _thread.Post(_file.Flush);
    }

    public void Dispose() => _file.Dispose();

    private void Hand()
    {
        if (_count == 0)
        {
            return;
        }

        T[] batch = _current;
        int count = _count;
        _current = _spare.TryTake(out T[]? spare) ? spare : new T[BatchSize];
        _count = 0;
        _thread.Post(() =>
        {
            for (int i = 0; i < count; i++)
            {
                _serialize(_file.Writer, batch[i]);
                _file.EndRecord();
            }

            Array.Clear(batch, 0, count);
            _spare.Add(batch);
        });
    }
}
