using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Btc.Rx.Parsing;
using Btc.Rx.Records;

namespace Btc.Cli.Output;

/// <summary>
/// Reads and parses btc-price lines on a thread of its own and hands over batches of parsed lines,
/// each with its original bytes (rejected records carry them). Blank lines are skipped. In a pipeline
/// run, reading and parsing are a tenth of the work and share no state with the operators, so they
/// overlap with them; extract's replay reads files the same way. A batch is handed over when it is
/// full and before every read from the input, so lines that came through a pipe are not held back
/// while the reader waits for more.
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

    /// <summary>Whether every line of the input was handed over (false until the input has ended, and after a read failure).</summary>
    public bool ReadToEnd => _full.IsCompleted && _failure is null;

    /// <summary>
    /// The batches in input order, until the input ends or <paramref name="cancellationToken"/> is
    /// cancelled, which ends the enumeration after the batch in hand; a read failure is thrown at the
    /// end as an <see cref="InputReadException"/>, after the batches read before it.
    /// </summary>
    /// <param name="cancellationToken">Ends the enumeration early (Ctrl+C).</param>
    /// <param name="beforeWaiting">
    /// Runs when no batch is ready and the consumer is about to wait for the input, at most once per
    /// <see cref="WaitingInterval"/> (a wait that starts sooner first waits out the rest of it for a
    /// batch). The pipeline flushes its outputs there, so results reach the files while a live feed
    /// is quiet, at no cost while a file is read at full speed.
    /// </param>
    public IEnumerable<Batch> Batches(CancellationToken cancellationToken = default, Action? beforeWaiting = null)
    {
        long lastWaiting = 0; // never
        while (TryTake(out Batch? batch, cancellationToken, beforeWaiting, ref lastWaiting))
        {
            yield return batch;
            batch.Clear();
            _empty.Add(batch);
        }

        if (_failure is not null && !cancellationToken.IsCancellationRequested)
        {
            throw new InputReadException("Reading the input failed: " + _failure.Message, _failure);
        }
    }

    /// <summary>How often <c>beforeWaiting</c> may run at most.</summary>
    public static TimeSpan WaitingInterval { get; } = TimeSpan.FromMilliseconds(200);

    public void Dispose()
    {
        _stop.Cancel();
        // A reader waiting on an input that sends nothing more (a terminal, a quiet pipe) cannot be
        // woken; it is a background thread, which does not keep the process alive, and keeps what it uses.
        if (_thread.Join(TimeSpan.FromSeconds(1)))
        {
            _stop.Dispose();
            _full.Dispose();
        }
    }

    private bool TryTake([NotNullWhen(true)] out Batch? batch, CancellationToken cancellationToken, Action? beforeWaiting, ref long lastWaiting)
    {
        try
        {
            if (beforeWaiting is null)
            {
                return _full.TryTake(out batch, Timeout.Infinite, cancellationToken);
            }

            if (_full.TryTake(out batch))
            {
                return true;
            }

            TimeSpan sinceLast = lastWaiting == 0 ? WaitingInterval : Stopwatch.GetElapsedTime(lastWaiting);
            if (sinceLast < WaitingInterval && _full.TryTake(out batch, (int)Math.Ceiling((WaitingInterval - sinceLast).TotalMilliseconds), cancellationToken))
            {
                return true;
            }

            if (_full.IsCompleted)
            {
                return false;
            }

            beforeWaiting();
            lastWaiting = Stopwatch.GetTimestamp();
            return _full.TryTake(out batch, Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            batch = null;
            return false;
        }
    }

    private void Read(Stream input)
    {
        var parser = new PriceRecordParser();
        Batch batch = new();

        // Hands over the lines parsed so far and starts a new batch.
        void HandOverBatch()
        {
            if (batch.Count > 0)
            {
                _full.Add(batch, _stop.Token);
                batch = _empty.TryTake(out Batch? reused) ? reused : new Batch();
            }
        }

        var reader = new LineReader(input, beforeRead: HandOverBatch);
        try
        {
            while (reader.TryReadLine(out ReadOnlyMemory<byte> line, out long length))
            {
                if (length > LineReader.MaxLineBytes)
                {
                    batch.Add(line.Span, default, TooLong(length));
                }
                else if (IsBlank(line.Span))
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
                    HandOverBatch();
                }
            }

            HandOverBatch();
        }
        catch (OperationCanceledException)
        {
            // The consumer stopped early (it failed or was interrupted); nothing more to hand over.
        }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
        {
            // The input was closed under a read the consumer stopped waiting for.
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

    // A line of records starts with '{': only one starting with white space needs the trim.
    private static bool IsBlank(ReadOnlySpan<byte> line) =>
        line.IsEmpty || (line[0] is (byte)' ' or (byte)'\t' && line.Trim(" \t"u8).IsEmpty);

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
