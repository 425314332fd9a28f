using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>
/// One symbol's sliding windows over a single ring of (timestamp, price units), with exact running
/// sums per window. Each record is added to every window once and evicted from it once, so the work is
/// O(1) amortized per record per window, and the ring holds only the records of the longest window
/// (16 bytes each, growing by half when full).
/// </summary>
internal sealed class SymbolWindows
{
    private const int InitialCapacity = 64;
    private readonly long[] _lengths;
    private readonly int _longest;
    private readonly int[] _start; // ring position of each window's oldest record
    private readonly int[] _count; // records in each window
    private readonly Int128[] _sumDeviation;
    private readonly UInt128[] _sumSquaredDeviation;
    private long[] _timestamps = new long[InitialCapacity];
    private long[] _units = new long[InitialCapacity];
    private int _head; // ring position of the oldest record kept (the longest window's start)
    private int _held; // records kept (the longest window's count)
    private long _anchor;

    public SymbolWindows(WindowSet windows)
    {
        _lengths = windows.LengthsMs;
        _longest = windows.LongestIndex;
        _start = new int[_lengths.Length];
        _count = new int[_lengths.Length];
        _sumDeviation = new Int128[_lengths.Length];
        _sumSquaredDeviation = new UInt128[_lengths.Length];
    }

    public long LastTimestamp { get; private set; } = long.MinValue;

    /// <summary>Bytes of state this symbol holds (ring and sums), for capacity planning.</summary>
    public long StateBytes => (_timestamps.Length * 16L) + (_lengths.Length * 40L);

    /// <summary>Adds a record (timestamps must increase) and writes each window's mean and standard deviation.</summary>
    public void Add(long timestamp, long units, Span<double> means, Span<double> standardDeviations)
    {
        if (timestamp <= LastTimestamp)
        {
            throw new InvalidOperationException(
                $"Records of a symbol must arrive in increasing event time (got {timestamp} after {LastTimestamp}); put AcceptInEventTime before MovingStatistics.");
        }

        if (_held == 0)
        {
            _anchor = units;
        }

        LastTimestamp = timestamp;
        Append(timestamp, units);
        long deviation = units - _anchor;
        UInt128 squared = ExactMoments.Square(deviation);
        int capacity = _timestamps.Length;
        for (int w = 0; w < _lengths.Length; w++)
        {
            _sumDeviation[w] += deviation;
            _sumSquaredDeviation[w] += squared;
            int start = _start[w];
            int count = _count[w] + 1;
            long edge = timestamp - _lengths[w]; // records at or before the edge are out: (t − L, t]
            while (_timestamps[start] <= edge)
            {
                long old = _units[start] - _anchor;
                _sumDeviation[w] -= old;
                // Wrapping arithmetic is exact modulo 2^128, so the sum is right whenever its true value fits.
                _sumSquaredDeviation[w] -= ExactMoments.Square(old);
                start = start + 1 == capacity ? 0 : start + 1;
                count--;
            }

            _start[w] = start;
            _count[w] = count;
            means[w] = ExactMoments.Mean(count, _anchor, _sumDeviation[w]);
            standardDeviations[w] = ExactMoments.StandardDeviation(count, _sumDeviation[w], _sumSquaredDeviation[w]);
        }

        _head = _start[_longest];
        _held = _count[_longest];
        if (_held == 1 && deviation != 0)
        {
            // Every window holds only this record (a gap longer than the longest window): re-anchor at
            // its price so deviations stay small however far the price has moved.
            _anchor = units;
            Array.Clear(_sumDeviation);
            Array.Clear(_sumSquaredDeviation);
        }
    }

    private void Append(long timestamp, long units)
    {
        if (_held == _timestamps.Length)
        {
            Grow();
        }

        int tail = _head + _held;
        if (tail >= _timestamps.Length)
        {
            tail -= _timestamps.Length;
        }

        _timestamps[tail] = timestamp;
        _units[tail] = units;
        _held++;
    }

    private void Grow()
    {
        int capacity = _timestamps.Length;
        int larger = capacity + (capacity / 2);
        var timestamps = new long[larger];
        var units = new long[larger];
        int firstPart = Math.Min(_held, capacity - _head);
        Array.Copy(_timestamps, _head, timestamps, 0, firstPart);
        Array.Copy(_timestamps, 0, timestamps, firstPart, _held - firstPart);
        Array.Copy(_units, _head, units, 0, firstPart);
        Array.Copy(_units, 0, units, firstPart, _held - firstPart);
        for (int w = 0; w < _start.Length; w++)
        {
            // Positions move with the copy: the oldest record kept is now at 0.
            _start[w] = (_start[w] - _head + capacity) % capacity;
        }

        _timestamps = timestamps;
        _units = units;
        _head = 0;
    }
}
