using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>
/// One symbol's sliding windows over a single ring of (timestamp, price units), with exact running
/// sums per window. Each record is added to every window once and evicted from it once, so the work is
/// O(1) amortized per record per window, and the ring holds only the records of the longest window
/// (16 bytes each, growing by half when full).
/// </summary>
/// <remarks>
/// The loop below runs six times per record, so its state sits where one bounds check reaches it:
/// a window's length, position, count and sums in one struct, a record's timestamp and units side by
/// side in the ring.
/// </remarks>
internal sealed class SymbolWindows
{
    // Small, because a symbol seen once keeps its state for a whole longest window (a feed of many
    // symbols holds many); a busy symbol grows it by halves in a few steps. From 8, an hour at 10 Hz
    // (36,000 records) fits in 39,226 slots, where growing from 64 made 41,991.
    private const int InitialCapacity = 8;
    private readonly Window[] _windows;
    private readonly int _longest;
    private Entry[] _ring = new Entry[InitialCapacity];
    private int _head; // ring position of the oldest record kept (the longest window's start)
    private int _held; // records kept (the longest window's count)
    private long _anchor;

    public SymbolWindows(WindowSet windows)
    {
        _windows = new Window[windows.Count];
        for (int w = 0; w < _windows.Length; w++)
        {
            _windows[w].Length = windows.LengthsMs[w];
        }

        _longest = windows.LongestIndex;
    }

    public long LastTimestamp { get; private set; } = long.MinValue;

    /// <summary>Bytes of state this symbol holds (ring and sums), for capacity planning.</summary>
    public long StateBytes => (_ring.Length * (long)Unsafe.SizeOf<Entry>()) + (_windows.Length * (long)Unsafe.SizeOf<Window>());

    /// <summary>Adds a record (timestamps must increase) and writes each window's mean and standard deviation.</summary>
    public void Add(long timestamp, long units, Span<double> means, Span<double> standardDeviations)
    {
        if (timestamp <= LastTimestamp)
        {
            ThrowOutOfOrder(timestamp, LastTimestamp);
        }

        Window[] windows = _windows;
        if ((uint)means.Length < (uint)windows.Length || (uint)standardDeviations.Length < (uint)windows.Length)
        {
            throw new ArgumentException("There must be room for one mean and one standard deviation per window.", nameof(means));
        }

        if (_held == 0)
        {
            _anchor = units;
        }

        LastTimestamp = timestamp;
        Append(timestamp, units);
        long anchor = _anchor;
        long deviation = units - anchor;
        UInt128 squared = ExactMoments.Square(deviation);
        Entry[] ring = _ring;
        for (int w = 0; w < windows.Length; w++)
        {
            ref Window window = ref windows[w];
            Int128 sum = window.SumDeviation + deviation;
            UInt128 squares = window.SumSquaredDeviation + squared;
            int start = window.Start;
            int count = window.Count + 1;
            long edge = timestamp - window.Length; // records at or before the edge are out: (t − L, t]
            while (ring[start].Timestamp <= edge)
            {
                long old = ring[start].Units - anchor;
                sum -= old;
                // Wrapping arithmetic is exact modulo 2^128, so the sum is right whenever its true value fits.
                squares -= ExactMoments.Square(old);
                start = start + 1 == ring.Length ? 0 : start + 1;
                count--;
            }

            window.SumDeviation = sum;
            window.SumSquaredDeviation = squares;
            window.Start = start;
            window.Count = count;
            means[w] = ExactMoments.Mean(count, anchor, sum);
            standardDeviations[w] = ExactMoments.StandardDeviation(count, sum, squares);
        }

        _head = windows[_longest].Start;
        _held = windows[_longest].Count;
        if (_held == 1 && deviation != 0)
        {
            // Every window holds only this record (a gap longer than the longest window): re-anchor at
            // its price so deviations stay small however far the price has moved.
            _anchor = units;
            for (int w = 0; w < windows.Length; w++)
            {
                windows[w].SumDeviation = 0;
                windows[w].SumSquaredDeviation = 0;
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowOutOfOrder(long timestamp, long last) => throw new InvalidOperationException(
        $"Records of a symbol must arrive in increasing event time (got {timestamp} after {last}); put AcceptInEventTime before MovingStatistics.");

    private void Append(long timestamp, long units)
    {
        if (_held == _ring.Length)
        {
            Grow();
        }

        int tail = _head + _held;
        if (tail >= _ring.Length)
        {
            tail -= _ring.Length;
        }

        _ring[tail] = new Entry(timestamp, units);
        _held++;
    }

    private void Grow()
    {
        int capacity = _ring.Length;
        var ring = new Entry[capacity + (capacity / 2)];
        int firstPart = Math.Min(_held, capacity - _head);
        Array.Copy(_ring, _head, ring, 0, firstPart);
        Array.Copy(_ring, 0, ring, firstPart, _held - firstPart);
        for (int w = 0; w < _windows.Length; w++)
        {
            // Positions move with the copy: the oldest record kept is now at 0.
            _windows[w].Start = (_windows[w].Start - _head + capacity) % capacity;
        }

        _ring = ring;
        _head = 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Entry(long Timestamp, long Units);

    [StructLayout(LayoutKind.Sequential)]
    private struct Window
    {
        public Int128 SumDeviation;
        public UInt128 SumSquaredDeviation;
        public long Length;
        public int Start; // ring position of the window's oldest record
        public int Count; // records in the window
    }
}
