using System.Collections.Concurrent;
using System.Text;
using Btc.Cli.Output;

namespace Btc.Cli.Tests;

public class ParsedLinesTest
{
    private const string Line = """{"symbol": "BTCUSDT", "price": 100.5, "timestamp": "2026-11-24T10:00:00.000Z"}""";

    [Fact]
    public void AReadFailure_ComesAfterTheLinesReadBeforeIt_AsAnInputReadException()
    {
        var input = new ScriptedStream();
        input.Send(Line + "\n" + Line.Replace("00.000Z", "00.100Z", StringComparison.Ordinal) + "\n");
        input.Fail(new IOException("Input/output error"));
        using var lines = new ParsedLines(input);
        var read = new List<string>();
        InputReadException failure = Assert.Throws<InputReadException>(() =>
        {
            foreach (ParsedLines.Batch batch in lines.Batches())
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    read.Add(Encoding.UTF8.GetString(batch.Line(i).Span));
                }
            }
        });

        Assert.Equal(2, read.Count);
        Assert.Equal("Reading the input failed: Input/output error", failure.Message);
        Assert.IsType<IOException>(failure.InnerException);
        Assert.False(lines.ReadToEnd);
    }

    [Fact]
    public async Task BeforeWaiting_RunsWhenTheInputIsQuiet_AfterTheLinesThatCame()
    {
        var input = new ScriptedStream();
        using var lines = new ParsedLines(input);
        int seen = 0;
        var seenWhenWaiting = new BlockingCollection<int>();
        var consumer = Task.Run(() =>
        {
            foreach (ParsedLines.Batch batch in lines.Batches(beforeWaiting: () => seenWhenWaiting.Add(seen)))
            {
                seen += batch.Count;
            }
        });

        input.Send(Line + "\n" + Line + "\n");
        Assert.True(seenWhenWaiting.TryTake(out int first, TimeSpan.FromSeconds(10)));
        if (first == 0)
        {
            // The consumer may have begun to wait before the first lines came.
            Assert.True(seenWhenWaiting.TryTake(out first, TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(2, first);
        input.Send(Line + "\n");
        Assert.True(seenWhenWaiting.TryTake(out int second, TimeSpan.FromSeconds(10)));
        Assert.Equal(3, second);
        input.End();
        await consumer.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task BeforeWaiting_RunsAtMostOncePerInterval_EvenWhenLinesComeOneByOne()
    {
        var input = new ScriptedStream();
        using var lines = new ParsedLines(input);
        var times = new ConcurrentQueue<DateTime>();
        var consumer = Task.Run(() =>
        {
            foreach (ParsedLines.Batch batch in lines.Batches(beforeWaiting: () => times.Enqueue(DateTime.UtcNow)))
            {
            }
        });

        // A line every 10 ms for a second: without the interval the consumer would wait, and flush, before each.
        var feeding = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 100; i++)
        {
            input.Send(Line + "\n");
            await Task.Delay(10);
        }

        input.End();
        await consumer.WaitAsync(TimeSpan.FromSeconds(10));
        DateTime[] all = [.. times];
        Assert.InRange(all.Length, 1, 2 + (int)(feeding.Elapsed / ParsedLines.WaitingInterval));
        for (int i = 1; i < all.Length; i++)
        {
            Assert.True(all[i] - all[i - 1] >= ParsedLines.WaitingInterval - TimeSpan.FromMilliseconds(20), $"{all[i] - all[i - 1]} between two runs");
        }
    }

    // A stream a test feeds as it goes: each read waits for what the test sends next, an end or a failure.
    private sealed class ScriptedStream : ReadOnlyTestStream
    {
        private readonly BlockingCollection<Func<byte[]>> _steps = [];
        private byte[] _pending = [];
        private int _offset;

        public void Send(string text) => _steps.Add(() => Encoding.UTF8.GetBytes(text));

        public void Fail(Exception error) => _steps.Add(() => throw error);

        public void End() => _steps.CompleteAdding();

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_offset == _pending.Length)
            {
                if (!_steps.TryTake(out Func<byte[]>? next, Timeout.Infinite))
                {
                    return 0;
                }

                (_pending, _offset) = (next(), 0);
            }

            int n = Math.Min(count, _pending.Length - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer.AsSpan(offset));
            _offset += n;
            return n;
        }
    }
}
