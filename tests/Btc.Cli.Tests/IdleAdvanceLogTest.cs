using System.Text;
using Btc.Cli.Stages;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>Where a restarted stage makes the idle advances of an earlier run again, and how they are stored.</summary>
public class IdleAdvanceLogTest
{
    private static readonly TopicPartition Price = new("btc-price", 0);
    private static readonly TopicPartition Moving = new("btc-price-moving", 0);

    [Fact]
    public void AnAdvance_RoundTripsThroughItsJson()
    {
        var advance = new IdleAdvance(1_795_000_000_001, new Dictionary<TopicPartition, long> { [Moving] = 7, [Price] = 31 });

        string json = Encoding.UTF8.GetString(advance.ToJson());

        Assert.Equal("""{"watermark":"2026-11-18T11:06:40.001Z","positions":[{"topic":"btc-price","partition":0,"offset":31},{"topic":"btc-price-moving","partition":0,"offset":7}]}""", json);
        Assert.True(IdleAdvance.TryParse(Encoding.UTF8.GetBytes(json), out IdleAdvance? read));
        Assert.Equal(advance.Watermark, read!.Watermark);
        Assert.Equal(advance.Positions.OrderBy(p => p.Key.Topic), read.Positions.OrderBy(p => p.Key.Topic));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"positions":[{"topic":"btc-price","partition":0,"offset":31}]}""")]
    [InlineData("""{"watermark":"yesterday","positions":[{"topic":"btc-price","partition":0,"offset":31}]}""")]
    [InlineData("""{"watermark":"2026-11-18T11:06:40.001Z","positions":[]}""")]
    [InlineData("""{"watermark":"2026-11-18T11:06:40.001Z","positions":[{"topic":"btc-price","partition":-1,"offset":31}]}""")]
    [InlineData("""{"watermark":"2026-11-18T11:06:40.001Z","positions":[{"topic":"btc-price","partition":0,"offset":"31"}]}""")]
    [InlineData("""{"watermark":"2026-11-18T11:06:40.001Z","positions":[{"topic":5,"partition":0,"offset":31}]}""")]
    [InlineData("""{"watermark":"2026-11-18T11:06:40.001Z","positions":[{"topic":"btc-price","partition":0,"offset":31}""")]
    public void AValueThatIsNotAnAdvance_IsRefused(string value)
    {
        Assert.False(IdleAdvance.TryParse(Encoding.UTF8.GetBytes(value), out _));
        Assert.False(IdleAdvance.IsVoid(Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void TheVoidMarker_IsNoAdvance_AndIsKnownAsTheMarker()
    {
        Assert.Equal("""{"void": "the stage's input started over: the advances before this are of records that are gone"}""", Encoding.UTF8.GetString(IdleAdvance.VoidJson));
        Assert.False(IdleAdvance.TryParse(IdleAdvance.VoidJson, out _));
        Assert.True(IdleAdvance.IsVoid(IdleAdvance.VoidJson));
    }

    [Fact]
    public void AnAdvance_IsMadeAgain_AsSoonAsEveryRecordBeforeItIsHandled()
    {
        var handled = new Dictionary<TopicPartition, long> { [Price] = 0 };
        var log = new IdleAdvanceLog([Advance(100, 31), Advance(200, 40)], new Dictionary<TopicPartition, long>(handled), handled);

        for (long offset = 0; offset < 30; offset++)
        {
            handled[Price] = offset + 1;
            Assert.False(log.TryTakeReached(out _));
        }

        handled[Price] = 31;
        Assert.True(log.TryTakeReached(out IdleAdvance? first));
        Assert.Equal(100, first!.Watermark);
        Assert.False(log.TryTakeReached(out _));
        Assert.Equal(1, log.Pending);
    }

    [Fact]
    public void AnAdvance_IsMadeAgain_BeforeTheFirstRecordThatCameAfterIt_InAnyPartition()
    {
        // Prices and moving records interleave in another order than the first run's: the advance
        // comes no later than the first record that followed it.
        var start = new Dictionary<TopicPartition, long> { [Price] = 0, [Moving] = 0 };
        var log = new IdleAdvanceLog([new IdleAdvance(100, new Dictionary<TopicPartition, long> { [Price] = 31, [Moving] = 20 })], start, start);

        Assert.False(log.TryTakeBefore(Moving, 19, out _));
        Assert.False(log.TryTakeBefore(Price, 30, out _));
        Assert.True(log.TryTakeBefore(Moving, 20, out IdleAdvance? advance));
        Assert.Equal(100, advance!.Watermark);
        Assert.Equal(0, log.Pending);
    }

    [Fact]
    public void AdvancesBeforeTheFirstStoredRecord_AreDropped()
    {
        // The broker dropped offsets 0-49: the state the first advance acted on cannot be rebuilt.
        var start = new Dictionary<TopicPartition, long> { [Price] = 50 };
        var log = new IdleAdvanceLog([Advance(100, 31), Advance(200, 80)], start, start);

        Assert.Equal(1, log.Pending);
        Assert.True(log.TryTakeBefore(Price, 80, out IdleAdvance? advance));
        Assert.Equal(200, advance!.Watermark);
    }

    [Fact]
    public void AdvancesOverOtherTopics_AreDropped()
    {
        // The group's stage once read topics of other names (--topic-price): those offsets mean nothing here.
        var other = new IdleAdvance(100, new Dictionary<TopicPartition, long> { [new TopicPartition("eth-price", 0)] = 31 });
        var start = new Dictionary<TopicPartition, long> { [Price] = 0 };
        var log = new IdleAdvanceLog([other, Advance(200, 80)], start, start);

        Assert.Equal(1, log.Pending);
        Assert.True(log.TryTakeBefore(Price, 80, out IdleAdvance? advance));
        Assert.Equal(200, advance!.Watermark);
    }

    [Fact]
    public void WhetherACommitCoversAnAdvance_DependsOnEveryPartition()
    {
        IdleAdvance advance = new(100, new Dictionary<TopicPartition, long> { [Price] = 31, [Moving] = 20 });

        Assert.True(advance.IsWithin(new Dictionary<TopicPartition, long> { [Price] = 31, [Moving] = 25 }));
        Assert.False(advance.IsWithin(new Dictionary<TopicPartition, long> { [Price] = 31, [Moving] = 19 }));
        Assert.False(advance.IsWithin(new Dictionary<TopicPartition, long> { [Price] = 40 }));
    }

    private static IdleAdvance Advance(long watermark, long pricePosition) => new(watermark, new Dictionary<TopicPartition, long> { [Price] = pricePosition });
}
