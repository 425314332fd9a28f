using System.Runtime.CompilerServices;

namespace Btc.Rx.Watermarks;

/// <summary>What <see cref="EventTimeAcceptor{T}.Offer"/> decided about a record.</summary>
internal enum Acceptance
{
    Accepted,
    Late,
    Duplicate,
}

/// <summary>
/// The acceptance rules of SEMANTICS as a plain state machine: records offered in arrival order,
/// accepted ones released in event-time order once the watermark passes them. Kept apart from Rx so
/// the file pipeline, the Kafka stages and the operator share one implementation.
/// </summary>
/// <remarks>
/// The watermark is <c>maxSeen − allowedLateness</c>, where maxSeen is the largest accepted timestamp
/// on the input (all keys together); it only moves forward. A record is late when its timestamp is
/// below the watermark. Only pending records can be duplicated: once released, the same (key, t) is
/// below the watermark and so late. Released records come out ordered by timestamp, ties by arrival.
/// Records that arrive in order (the common case) wait in a FIFO queue; only out-of-order ones pay
/// for the heap, and release merges the two. Duplicates are found without hashing each record's
/// (key, t): a record newer than every earlier record of its key cannot repeat one, and only an older
/// one is looked for, by binary search in the FIFO (sorted by time) and in an index of the heap.
/// </remarks>
internal sealed class EventTimeAcceptor<T>
{
    private readonly Func<T, string> _keySelector;
    private readonly Func<T, long> _timestampSelector;
    private readonly long _allowedLateness;
    private readonly Internal.RingDeque<Pending> _inOrder = new();
    private readonly PriorityQueue<Pending, (long Timestamp, long Sequence)> _outOfOrder = new();
    private readonly Dictionary<(string Key, long Timestamp), T> _outOfOrderKeys = new(Internal.KeyTimeComparer.Instance);
    private readonly Internal.SymbolStates<StrongBox<long>> _newestPerKey;
    private long _sequence;

    public EventTimeAcceptor(Func<T, string> keySelector, Func<T, long> timestampSelector, long allowedLatenessMs, int sweepMinimumKeys = Internal.SweepSchedule.DefaultMinimumKeys)
    {
        _keySelector = keySelector;
        _timestampSelector = timestampSelector;
        _allowedLateness = allowedLatenessMs;
        _newestPerKey = new(_ => new StrongBox<long>(), sweepMinimumKeys);
    }

    /// <summary>Keys whose newest timestamp is remembered (for tests: it stays bounded by the live keys).</summary>
    internal int RememberedKeys => _newestPerKey.Count;

    /// <summary>The watermark; <see cref="long.MinValue"/> before the first record.</summary>
    public long Watermark { get; private set; } = long.MinValue;

    /// <summary>The largest accepted timestamp; <see cref="long.MinValue"/> before the first record.</summary>
    public long MaxSeen { get; private set; } = long.MinValue;

    public Acceptance Offer(T record, out long timestamp, out T earlier)
    {
        earlier = default!;
        timestamp = _timestampSelector(record);
        if (timestamp < Watermark)
        {
            return Acceptance.Late;
        }

        string key = _keySelector(record);
        StrongBox<long> newest = _newestPerKey.GetOrAdd(key, out bool added);
        if (added || timestamp > newest.Value)
        {
            newest.Value = timestamp;
        }
        else if (TryFindPending(key, timestamp, out earlier))
        {
            return Acceptance.Duplicate;
        }

        var pending = new Pending(record, key, timestamp, _sequence++);
        if (_inOrder.Count == 0 || timestamp >= _inOrder.Back.Timestamp)
        {
            _inOrder.PushBack(pending);
        }
        else
        {
            _outOfOrder.Enqueue(pending, (timestamp, pending.Sequence));
            _outOfOrderKeys.Add((key, timestamp), record);
        }

        if (timestamp > MaxSeen)
        {
            MaxSeen = timestamp;
            // Saturating: a timestamp near long.MinValue must not wrap the watermark around.
            long candidate = timestamp >= long.MinValue + _allowedLateness ? timestamp - _allowedLateness : long.MinValue;
            if (candidate > Watermark)
            {
                Watermark = candidate;
            }
        }

        if (added && _newestPerKey.IsSweepDue)
        {
            // A key whose newest record is below the watermark can only come back with a newer record
            // (an older one is late, whatever its key), and to a newer record the key is as good as new.
            long watermark = Watermark;
            _newestPerKey.Sweep(newest => newest.Value < watermark);
        }

        return Acceptance.Accepted;
    }

    /// <summary>Moves the watermark <paramref name="advanceMs"/> past everything seen so far (an idle input); returns whether it moved.</summary>
    public bool AdvancePastAll(long advanceMs = 1)
    {
        if (MaxSeen == long.MinValue || MaxSeen >= long.MaxValue - advanceMs || Watermark >= MaxSeen + advanceMs)
        {
            return false;
        }

        Watermark = MaxSeen + advanceMs;
        return true;
    }

    /// <summary>Takes the next pending record the watermark has passed, in event-time order.</summary>
    public bool TryRelease(out T record) => TryRelease(Watermark, out record);

    /// <summary>Takes the next pending record regardless of the watermark (the input ended).</summary>
    public bool TryReleaseAtEnd(out T record) => TryRelease(long.MaxValue, out record, inclusive: true);

    private bool TryRelease(long watermark, out T record, bool inclusive = false)
    {
        bool fromQueue = _inOrder.Count > 0;
        Pending next = fromQueue ? _inOrder.Front : default;
        if (_outOfOrder.TryPeek(out Pending other, out _) &&
            (!fromQueue || other.Timestamp < next.Timestamp || (other.Timestamp == next.Timestamp && other.Sequence < next.Sequence)))
        {
            fromQueue = false;
            next = other;
        }
        else if (!fromQueue)
        {
            record = default!;
            return false;
        }

        if (next.Timestamp >= watermark && !inclusive)
        {
            record = default!;
            return false;
        }

        if (fromQueue)
        {
            _inOrder.PopFront();
        }
        else
        {
            _outOfOrder.Dequeue();
            _outOfOrderKeys.Remove((next.Key, next.Timestamp));
        }

        record = next.Record;
        return true;
    }

    /// <summary>Finds a pending record with this key and timestamp: a binary search of the FIFO, then the heap's index.</summary>
    private bool TryFindPending(string key, long timestamp, out T record)
    {
        if (_inOrder.Count > 0 && timestamp >= _inOrder.Front.Timestamp && timestamp <= _inOrder.Back.Timestamp)
        {
            int low = 0, high = _inOrder.Count; // the first position with a timestamp at or after the one sought
            while (low < high)
            {
                int middle = low + ((high - low) / 2);
                if (_inOrder[middle].Timestamp < timestamp)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            for (int i = low; i < _inOrder.Count && _inOrder[i].Timestamp == timestamp; i++)
            {
                if (string.Equals(_inOrder[i].Key, key, StringComparison.Ordinal))
                {
                    record = _inOrder[i].Record;
                    return true;
                }
            }
        }

        return _outOfOrderKeys.TryGetValue((key, timestamp), out record!);
    }

    private readonly record struct Pending(T Record, string Key, long Timestamp, long Sequence);
}
