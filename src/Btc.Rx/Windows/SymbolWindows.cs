using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>
/// One symbol's sliding windows over a single ring of (timestamp, price units), with exact running
/// sums per window. Each record is added to every window once and evicted from it once, so the work is
/// O(1) amortized per record per window and the memory is the records of the longest window.
/// </summary>
internal sealed class SymbolWindows
{
    private const int InitialCapacity = 64;
    private readonly long[] _lengths;
    private readonly int _longest;
    private readonly long[] _start; // absolute index of each window's oldest record
    private readonly Int128[] _sumDeviation;
    private readonly UInt128[] _sumSquaredDeviation;
    private long[] _timestamps = new long[InitialCapacity];
    private long[] _units = new long[InitialCapacity];
    private long _head; // absolute index of the oldest record kept (the longest window's start)
    private long _tail; // absolute index of the next record
    private long _anchor;

    public SymbolWindows(WindowSet windows)
    {
        _lengths = windows.LengthsMs;
        _longest = windows.LongestIndex;
        _start = new long[_lengths.Length];
        _sumDeviation = new Int128[_lengths.Length];
        _sumSquaredDeviation = new UInt128[_lengths.Length];
    }

    public long LastTimestamp { get; private set; } = long.MinValue;

    /// <summary>The records held: those of the longest window.</summary>
    public long Count => _tail - _head;

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

        if (_tail == _head)
        {
            _anchor = units;
        }

        LastTimestamp = timestamp;
        Append(timestamp, units);
        long deviation = units - _anchor;
        UInt128 squared = (UInt128)(ulong)Math.Abs(deviation) * (ulong)Math.Abs(deviation);
        for (int w = 0; w < _lengths.Length; w++)
        {
            _sumDeviation[w] += deviation;
            _sumSquaredDeviation[w] += squared;
            long start = _start[w];
            long edge = timestamp - _lengths[w]; // records at or before the edge are out: (t − L, t]
            while (_timestamps[start & (_timestamps.Length - 1)] <= edge)
            {
                long old = _units[start & (_units.Length - 1)] - _anchor;
                _sumDeviation[w] -= old;
                // Wrapping arithmetic is exact modulo 2^128, so the sum is right whenever its true value fits.
                _sumSquaredDeviation[w] -= (UInt128)(ulong)Math.Abs(old) * (ulong)Math.Abs(old);
                start++;
            }

            _start[w] = start;
            long count = _tail - start;
            means[w] = ExactMoments.Mean(count, _anchor, _sumDeviation[w]);
            standardDeviations[w] = ExactMoments.StandardDeviation(count, _sumDeviation[w], _sumSquaredDeviation[w]);
        }

        _head = _start[_longest];
        if (_tail - _head == 1 && deviation != 0)
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
        if (_tail - _head == _timestamps.Length)
        {
            Grow();
        }

        int mask = _timestamps.Length - 1;
        _timestamps[_tail & mask] = timestamp;
        _units[_tail & mask] = units;
        _tail++;
    }

    private void Grow()
    {
        int oldMask = _timestamps.Length - 1;
        var timestamps = new long[_timestamps.Length * 2];
        var units = new long[_units.Length * 2];
        int newMask = timestamps.Length - 1;
        for (long i = _head; i < _tail; i++)
        {
            timestamps[i & newMask] = _timestamps[i & oldMask];
            units[i & newMask] = _units[i & oldMask];
        }

        _timestamps = timestamps;
        _units = units;
    }
}
