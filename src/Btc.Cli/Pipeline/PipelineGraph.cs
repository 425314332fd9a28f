using System.Reactive.Concurrency;
using System.Runtime.ExceptionServices;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Btc.Cli.Output;
using Btc.Rx;
using Btc.Rx.LookAhead;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;
using Btc.Rx.Windows;

namespace Btc.Cli.Pipeline;

/// <summary>
/// The whole pipeline in one process, composed from the public Btc.Rx operators: acceptance → moving
/// statistics → z-scores, and the look-ahead scan, writing into <see cref="PipelineOutputs"/>. Feed it
/// ticks in arrival order on one thread; <see cref="Complete"/> makes everything pending final.
/// <c>btc pipeline</c> and <c>btc demo</c> both run it; <see cref="PipelineTaps"/> lets the demo watch.
/// </summary>
internal sealed class PipelineGraph : IDisposable
{
    private readonly Subject<PriceTick> _ticks = new();
    private readonly List<IDisposable> _subscriptions = [];
    private Exception? _failure;

    public PipelineGraph(TimeSpan allowedLateness, WindowSet windows, TimeSpan horizon, PipelineOutputs outputs, PipelineTaps? taps = null)
    {
        taps ??= new PipelineTaps();
        RejectedRecordWriter rejected = outputs.Rejected;

        // Late and duplicate records are decided while their value is being delivered (the operators
        // call back synchronously), so the side outputs can quote the original.
        var acceptance = new AcceptanceOptions<PriceTick>
        {
            AllowedLateness = allowedLateness,
            OnLate = late => rejected.WriteLate(CurrentValue.Span, late.Timestamp, late.Watermark, allowedLateness),
            OnDuplicate = duplicate => rejected.WriteDuplicate(CurrentValue.Span, duplicate.Record.Symbol, duplicate.Record.Timestamp),
        };
        IConnectableObservable<StreamElement<PriceTick>> accepted = _ticks.AcceptPrices(acceptance, ImmediateScheduler.Instance).Publish();
        IConnectableObservable<StreamElement<MovingStatistics>> moving = accepted.MovingStatistics(new MovingStatisticsOptions { Windows = windows }).Publish();

        // Every accepted tick gets exactly one moving record, so counting those counts the accepted.
        _subscriptions.Add(moving.Subscribe(
            e =>
            {
                if (e.IsRecord)
                {
                    Accepted++;
                    outputs.Moving.Add(e.Record);
                    taps.Moving?.Invoke(e.Record);
                }
                else
                {
                    taps.Watermark?.Invoke(e.Watermark);
                }
            },
            Fail));
        _subscriptions.Add(accepted.ZScores(moving).Subscribe(
            z =>
            {
                outputs.ZScores.Add(z);
                taps.ZScores?.Invoke(z);
            },
            Fail));
        _subscriptions.Add(accepted.LookAhead(new LookAheadOptions { Horizon = horizon }).Subscribe(
            r =>
            {
                outputs.AddLookAhead(r);
                taps.LookAhead?.Invoke(r);
            },
            Fail));
        _subscriptions.Add(moving.Connect());
        _subscriptions.Add(accepted.Connect());
    }

    /// <summary>Ticks accepted so far.</summary>
    public long Accepted { get; private set; }

    /// <summary>The value of the tick being delivered, quoted by the rejected records.</summary>
    public ReadOnlyMemory<byte> CurrentValue { get; set; }

    /// <summary>Delivers one tick. Throws as soon as the graph failed, so a run whose outputs cannot be written stops.</summary>
    public void OnNext(in PriceTick tick)
    {
        _ticks.OnNext(tick);
        ThrowIfFailed();
    }

    /// <summary>Ends the input: everything pending becomes final and is written. Throws when an operator failed.</summary>
    public void Complete()
    {
        _ticks.OnCompleted();
        ThrowIfFailed();
    }

    public void Dispose()
    {
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _ticks.Dispose();
    }

    private void Fail(Exception error) => _failure ??= error;

    private void ThrowIfFailed()
    {
        if (_failure is null)
        {
            return;
        }

        if (_failure is IOException)
        {
            // An output that cannot be written (a full disk) reached an operator through a callback:
            // thrown as it is, on this same thread, so the command reports it in one sentence.
            ExceptionDispatchInfo.Throw(_failure);
        }

        throw new InvalidOperationException("The pipeline failed: " + _failure.Message, _failure);
    }
}

/// <summary>Callbacks that see the graph's results as they are written (all on the feeding thread).</summary>
internal sealed class PipelineTaps
{
    public Action<MovingStatistics>? Moving { get; init; }

    public Action<ZScores>? ZScores { get; init; }

    public Action<LookAheadResult>? LookAhead { get; init; }

    /// <summary>The acceptance watermark each time it moves.</summary>
    public Action<long>? Watermark { get; init; }
}
