using System.Reactive.Subjects;
using Btc.Rx;

namespace Btc.Cli.Stages;

/// <summary>
/// An input whose records come in event-time order within each partition (btc-price-moving, as the
/// moving stage releases it): each record is passed on as it arrives, followed by the watermark it
/// sets. A record older than the newest of its partition, or a second one for a (key, timestamp) at
/// that newest, is a repeat written by a restarted producer stage: it is refused.
/// </summary>
/// <remarks>
/// <para>
/// With one partition the watermark is the newest timestamp: a later record may share it (another
/// symbol) but none may be older. An acceptance with no allowed lateness decides the same, but holds
/// each record until a newer timestamp arrives: at live pace that is one tick (100 ms) added to every
/// z-score, although the join pairs on exact (symbol, timestamp) and needs no more.
/// </para>
/// <para>
/// With several, partitions are read interleaved, one ahead of another (through a backlog, a
/// megabyte of one at a time), so the watermark is the newest timestamp of the partition furthest
/// behind among those with records still to read. A partition read to its end does not hold it
/// back: the producer stage writes in event-time order across partitions, so what it writes there
/// next is no older than what the others already hold (a partition that never gets a record, such
/// as a third partition for two symbols, would otherwise hold it back for good). Records are passed
/// on whatever the watermark: the join pairs them while their partner waits; the watermark only
/// says when a partner that never came is given up.
/// </para>
/// </remarks>
internal sealed class InOrderInput<T>(Func<T, string> keySelector, Func<T, long> timestampSelector) : IDisposable
{
    private readonly Subject<StreamElement<T>> _elements = new();
    private readonly Dictionary<int, Partition> _partitions = [];
    private Func<int, bool> _readToEnd = static _ => false;
    private long _watermark = long.MinValue;

    /// <summary>The records passed on and the watermarks they set.</summary>
    public IObservable<StreamElement<T>> Elements => _elements;

    /// <summary>
    /// Names the partitions the records will come from, before the first, and how to tell whether one
    /// has been read to its end. Without it, partitions count from their first record, and always
    /// hold the watermark back.
    /// </summary>
    public void Expect(IEnumerable<int> partitions, Func<int, bool> readToEnd)
    {
        foreach (int partition in partitions)
        {
            _partitions.TryAdd(partition, new Partition());
        }

        _readToEnd = readToEnd;
    }

    /// <summary>Passes <paramref name="record"/> of <paramref name="partition"/> on; false (nothing passed on) when it repeats or is older than its partition's newest.</summary>
    public bool Offer(T record, int partition = 0)
    {
        if (!_partitions.TryGetValue(partition, out Partition? state))
        {
            _partitions[partition] = state = new Partition();
        }

        long timestamp = timestampSelector(record);
        if (timestamp < state.Newest || (timestamp == state.Newest && !state.KeysAtNewest.Add(keySelector(record))))
        {
            return false;
        }

        if (timestamp > state.Newest)
        {
            state.Newest = timestamp;
            state.KeysAtNewest.Clear();
            state.KeysAtNewest.Add(keySelector(record));
        }

        _elements.OnNext(StreamElement<T>.FromRecord(record));
        long watermark = Watermark(timestamp);
        if (watermark > _watermark)
        {
            _watermark = watermark;
            _elements.OnNext(StreamElement<T>.FromWatermark(watermark));
        }

        return true;
    }

    public void Dispose() => _elements.Dispose();

    // The newest timestamp of the partition furthest behind among those not read to their end; the
    // newest of all when every one is.
    private long Watermark(long newest)
    {
        if (_partitions.Count == 1)
        {
            return newest;
        }

        long behind = long.MaxValue;
        long ahead = long.MinValue;
        foreach (var (id, partition) in _partitions)
        {
            ahead = Math.Max(ahead, partition.Newest);
            if (!_readToEnd(id))
            {
                behind = Math.Min(behind, partition.Newest);
            }
        }

        return Math.Min(behind, ahead);
    }

    private sealed class Partition
    {
        public long Newest { get; set; } = long.MinValue;

        public HashSet<string> KeysAtNewest { get; } = [];
    }
}
