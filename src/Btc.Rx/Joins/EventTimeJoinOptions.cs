namespace Btc.Rx.Joins;

/// <summary>Options of an event-time equi-join (see <see cref="EventTimeObservable.JoinInEventTime{TLeft, TRight, TResult}"/>).</summary>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
public sealed class EventTimeJoinOptions<TLeft, TRight>
{
    /// <summary>Called for a left record whose partner can no longer arrive (the right watermark passed its timestamp, or the right input ended).</summary>
    public Action<TLeft>? OnUnmatchedLeft { get; init; }

    /// <summary>Called for a right record whose partner can no longer arrive.</summary>
    public Action<TRight>? OnUnmatchedRight { get; init; }
}
