using System.Collections.Concurrent;
using System.Globalization;
using Btc.Rx.Parsing;
using Btc.Rx.Records;

namespace Btc.Cli.Output;

/// <summary>
/// Reads and parses btc-price lines on a thread of its own and hands over batches of parsed lines,
/// each with its original bytes (rejected records carry them). Blank lines are skipped. In a pipeline
/// run, reading and parsing are a fifth of the work and share no state with the operators, so they
/// overlap with them; extract's replay reads files the same way.
/// </summary>
internal sealed class ParsedLines : IDisposable
{
    private const int BatchSize = 4096;
    private readonly BlockingCollection<Batch> _full = new(boundedCapacity: 8);
    private readonly ConcurrentBag<Batch> _empty = [];
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _failure;

    public ParsedLines(Stream input)
    {
        _thread = new Thread(() => Read(input)) { IsBackground = true, Name = "btc reader" };
        _thread.Start();
    }

    /// <summary>The batches in input order; rethrows a read failure at the end.</summary>
    public IEnumerable<Batch> Batches()
    {
        foreach (Batch batch in _full.GetConsumingEnumerable())
        {
            yield return batch;
            batch.Clear();
            _empty.Add(batch);
        }

        if (_failure is not null)
        {
            throw new IOException("Reading the input failed: " + _failure.Message, _failure);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _full.Dispose();
    }

    private void Read(Stream input)
    {
        var parser = new PriceRecordParser();
        var reader = new LineReader(input);
        Batch batch = new();
        try
        {
            while (reader.TryReadLine(out ReadOnlyMemory<byte> line, out long length))
            {
                if (length > LineReader.MaxLineBytes)
                {
                    batch.Add(line.Span, default, TooLong(length));
                }
                else if (line.Span.Trim(" \t"u8).IsEmpty)
                {
                    continue;
                }
                else
                {
                    bool valid = parser.TryParse(line.Span, out PriceTick tick, out string? reason);
                    batch.Add(line.Span, tick, valid ? null : reason);
                }

                if (batch.Count == BatchSize)
                {
                    _full.Add(batch, _stop.Token);
                    batch = _empty.TryTake(out Batch? reused) ? reused : new Batch();
                }
            }

            if (batch.Count > 0)
            {
                _full.Add(batch, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The consumer stopped early (it failed); nothing more to hand over.
        }
        catch (IOException e)
        {
            _failure = e;
        }
        finally
        {
            _full.CompleteAdding();
        }
    }

    private static string TooLong(long length) => string.Create(
        CultureInfo.InvariantCulture,
        $"line is longer than 1 MiB ({length:N0} bytes; the value quoted is its first {LineReader.LongLinePrefixBytes:N0})");

    /// <summary>Parsed lines with their bytes, reused from batch to batch.</summary>
    internal sealed class Batch
    {
        private readonly PriceTick[] _ticks = new PriceTick[BatchSize];
        private readonly string?[] _reasons = new string?[BatchSize];
        private readonly int[] _ends = new int[BatchSize];
        private byte[] _bytes = new byte[BatchSize * 96];

        public int Count { get; private set; }

        public PriceTick Tick(int index) => _ticks[index];

        /// <summary>Why line <paramref name="index"/> is invalid, or null when it parsed.</summary>
        public string? Reason(int index) => _reasons[index];

        public ReadOnlyMemory<byte> Line(int index)
        {
            int start = index == 0 ? 0 : _ends[index - 1];
            return _bytes.AsMemory(start, _ends[index] - start);
        }

        public void Add(ReadOnlySpan<byte> line, in PriceTick tick, string? reason)
        {
            int start = Count == 0 ? 0 : _ends[Count - 1];
            if (start + line.Length > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, start + line.Length));
            }

            line.CopyTo(_bytes.AsSpan(start));
            _ticks[Count] = tick;
            _reasons[Count] = reason;
            _ends[Count] = start + line.Length;
            Count++;
        }

        public void Clear()
        {
            Array.Clear(_ticks, 0, Count);
            Array.Clear(_reasons, 0, Count);
            Count = 0;
        }
    }
}
