using System.Buffers;
using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Btc.Rx;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Btc.Rx.Windows;

var lines = File.ReadAllLines("/tmp/m1.jsonl").Take(1_000_000).Select(l => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(l)).ToArray();
for (int rep = 0; rep < 2; rep++)
{
    foreach (int stage in new[] { 0, 1, 2, 3, 4, 5 })
    {
        var sw = Stopwatch.StartNew();
        long count = 0;
        var buf = new ArrayBufferWriter<byte>(1 << 21);
        using var subject = new Subject<ReadOnlyMemory<byte>>();
        var parsed = subject.ParsePrices();
        var subs = new List<IDisposable>();
        if (stage == 0) subs.Add(parsed.Subscribe(_ => count++));
        else
        {
            var accepted = parsed.AcceptPrices(null, ImmediateScheduler.Instance).Publish();
            if (stage == 1) subs.Add(accepted.Subscribe(_ => count++));
            if (stage >= 2)
            {
                var moving = accepted.MovingStatistics().Publish();
                subs.Add(moving.Subscribe(e => { count++; if (stage >= 5 && e.IsRecord) { TopicJson.WriteMoving(buf, e.Record); if (buf.WrittenCount > 1 << 20) buf.ResetWrittenCount(); } }));
                if (stage >= 3) subs.Add(accepted.ZScores(moving).Subscribe(z => { count++; if (stage >= 5) { TopicJson.WriteZScores(buf, z); if (buf.WrittenCount > 1 << 20) buf.ResetWrittenCount(); } }));
                if (stage >= 4) subs.Add(accepted.LookAhead().Subscribe(r => { count++; if (stage >= 5) { TopicJson.WriteLookAhead(buf, r); if (buf.WrittenCount > 1 << 20) buf.ResetWrittenCount(); } }));
                subs.Add(moving.Connect());
            }
            subs.Add(accepted.Connect());
        }
        foreach (var l in lines) subject.OnNext(l);
        subject.OnCompleted();
        Console.WriteLine($"stage {stage}: {lines.Length / sw.Elapsed.TotalSeconds:N0}/s ({count})");
        subs.ForEach(s => s.Dispose());
    }
}
