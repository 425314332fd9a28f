using System.Reactive.Subjects;
using Btc.Rx;

namespace Btc.Cli.Stages;

/// <summary>
/// An input whose records come in event-time order (btc-price-moving, as the moving stage releases
/// it): each record is passed on as it arrives, followed by the watermark it sets, its own timestamp —
/// a later record may share it (another symbol) but none may be older. A record older than the newest,
/// or a second one for a (key, timestamp) at the newest, is a repeat written by a restarted producer
/// stage: it is refused.
/// </summary>
/// <remarks>
/// An acceptance with no allowed lateness decides the same, but holds each record until a newer
/// timestamp arrives, as its results must be final: at live pace that is one tick (100 ms) added to
/// every z-score, although the join pairs on exact (symbol, timestamp) and needs no more.
/// </remarks>
internal sealed class InOrderInput<T>(Func<T, string> keySelector, Func<T, long> timestampSelector) : IDisposable
{
    private readonly Subject<StreamElement<T>> _elements = new();
    private readonly HashSet<string> _keysAtNewest = [];
    private long _newest = long.MinValue;

    /// <summary>The records passed on and the watermarks they set.</summary>
    public IObservable<StreamElement<T>> Elements => _elements;

    /// <summary>Passes <paramref name="record"/> on; false (nothing passed on) when it repeats or is older than the newest.</summary>
    public bool Offer(T record)
    {
        long timestamp = timestampSelector(record);
        if (timestamp < _newest || (timestamp == _newest && !_keysAtNewest.Add(keySelector(record))))
        {
            return false;
        }

        bool advanced = timestamp > _newest;
        if (advanced)
        {
            _newest = timestamp;
            _keysAtNewest.Clear();
            _keysAtNewest.Add(keySelector(record));
        }

        _elements.OnNext(StreamElement<T>.FromRecord(record));
        if (advanced)
        {
            _elements.OnNext(StreamElement<T>.FromWatermark(timestamp));
        }

        return true;
    }

    public void Dispose() => _elements.Dispose();
}
