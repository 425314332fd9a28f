using System.Text;
using Btc.Cli.Stages;
using Btc.Rx.Records;
using Btc.Rx.Serialization;

namespace Btc.Cli.Tests;

/// <summary>
/// The zscore and load stages read moving and z-score records from Kafka, where anything may have been
/// produced: a record they cannot use is refused (and reported by the stage), never an exception.
/// </summary>
public class TopicJsonReaderTest
{
    private static readonly WindowSet Windows = WindowSet.Parse("30s,1m");
    private static readonly string Moving = TopicJson.ToString(o => TopicJson.WriteMoving(o, new MovingStatistics("BTCUSDT", 1_764_000_000_100, Windows, [100.5, 0.1 + 0.2], [0, 1e-300])));
    private static readonly string ZScores = TopicJson.ToString(o => TopicJson.WriteZScores(o, new ZScores("BTCUSDT", 1_764_000_000_100, Windows, [-1.5, 5e-324])));

    [Fact]
    public void ReadsWhatTheSerializerWrote_ToTheLastBit()
    {
        var reader = new TopicJsonReader();
        Assert.True(reader.TryReadMoving(Encoding.UTF8.GetBytes(Moving), out MovingStatistics? moving));
        Assert.Equal(("BTCUSDT", 1_764_000_000_100L, "30s,1m"), (moving!.Symbol, moving.Timestamp, moving.Windows.ToString()));
        Assert.Equal([100.5, 0.1 + 0.2, 0, 1e-300], [moving.Mean(0), moving.Mean(1), moving.StandardDeviation(0), moving.StandardDeviation(1)]);
        Assert.True(reader.TryReadZScores(Encoding.UTF8.GetBytes(ZScores), out ZScores? zscores));
        Assert.Equal([-1.5, 5e-324], [zscores!.Value(0), zscores.Value(1)]);
    }

    [Theory]
    [InlineData("\"1m\"", "\"\"")]
    [InlineData("\"1m\"", "\"1m,5m\"")]
    [InlineData("\"1m\"", "\"30s\"")]
    [InlineData("\"1m\"", "\"1x\"")]
    [InlineData("\"1m\"", "7")]
    [InlineData("\"1m\"", "\"\\ud800\"")]
    [InlineData("\"avg_price\": 1", "\"avg_price\": 1e400")]
    [InlineData("\"std_price\": 1e-300", "\"std_price\": -1e-300")]
    [InlineData("\"avg_price\": 1", "\"avg_price\": \"1\"")]
    [InlineData("\"symbol\": \"BTCUSDT\"", "\"symbol\": \"\\udc00\"")]
    [InlineData("\"symbol\": \"BTCUSDT\"", "\"symbol\": \"\"")]
    [InlineData("\"timestamp\": \"2025-11-24T16:00:00.100Z\"", "\"timestamp\": \"now\"")]
    [InlineData("]}", "]")]
    public void UnusableMovingRecords_AreRefused(string part, string replacement)
    {
        string json = Moving.Replace("\"avg_price\": 100.5", "\"avg_price\": 1", StringComparison.Ordinal);
        Assert.Contains(part, json, StringComparison.Ordinal);
        string damaged = ReplaceLast(json, part, replacement);
        Assert.False(new TopicJsonReader().TryReadMoving(Encoding.UTF8.GetBytes(damaged), out _), damaged);
    }

    [Fact]
    public void ThousandsOfDamagedRecords_AreReadOrRefused_NeverThrown()
    {
        // Each a real record with a few bytes changed, cut or replaced by JSON fragments and bytes that are not UTF-8.
        var random = new Random(11);
        byte[][] records = [Encoding.UTF8.GetBytes(Moving), Encoding.UTF8.GetBytes(ZScores)];
        byte[][] fragments = [.. new[] { "\\ud800", "1e400", "-1", "\"\"", "null", "[]", "{}", "\"0s\"", "\"1m,5m\"", "\"99999999999999999999h\"", "\"x\"" }
            .Select(Encoding.UTF8.GetBytes), [0xC3], [0xFF], [0]];
        var reader = new TopicJsonReader();
        int read = 0;
        for (int n = 0; n < 50_000; n++)
        {
            byte[] line = records[n % 2];
            for (int edit = random.Next(1, 4); edit > 0 && line.Length > 0; edit--)
            {
                int at = random.Next(line.Length);
                byte[] fragment = fragments[random.Next(fragments.Length)];
                line = random.Next(3) switch
                {
                    0 => line[..at],
                    1 => [.. line[..at], .. fragment, .. line[at..]],
                    _ => [.. line[..at], .. fragment, .. line[Math.Min(line.Length, at + random.Next(1, 12))..]],
                };
            }

            read += (n % 2 == 0 ? reader.TryReadMoving(line, out _) : reader.TryReadZScores(line, out _)) ? 1 : 0;
        }

        // Some damage leaves a record readable (a changed digit), most does not.
        Assert.InRange(read, 1, 25_000);
    }

    private static string ReplaceLast(string text, string part, string replacement)
    {
        int at = text.LastIndexOf(part, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + part.Length)..];
    }
}
