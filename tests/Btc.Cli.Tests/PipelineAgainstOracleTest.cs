using System.Text;
using System.Text.Json;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Tests.Oracle;
using Btc.Rx.Tests.Support;
using Btc.Rx.Time;

namespace Btc.Cli.Tests;

/// <summary>The files <c>btc pipeline</c> writes, read back and checked against the oracle, record by record.</summary>
public class PipelineAgainstOracleTest : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void BundledSample_MatchesTheOracle() => CheckFile(Path.Combine(RepositoryPaths.Root, "samples", "data", "btc-price.jsonl"));

    [SkippableFact]
    public void RealTrades_MatchTheOracle()
    {
        string? csv = TardisTrades.FindCsv();
        Skip.If(csv is null, "../shared/data/tardis_trades.csv is not beside the repository");
        CheckFile(_folder.Write("tardis.jsonl", TardisTrades.ToPriceLines(csv!)));
    }

    private void CheckFile(string input)
    {
        string output = _folder.File("out");
        var (exitCode, _, stderr) = CliRunner.Run("pipeline", "--input", input, "--output-dir", output);
        Assert.True(exitCode == 0, stderr);

        var parser = new PriceRecordParser();
        var arrivals = new List<PriceTick>();
        int invalid = 0;
        foreach (string line in File.ReadLines(input).Where(l => l.Trim().Length > 0))
        {
            if (parser.TryParse(Encoding.UTF8.GetBytes(line), out PriceTick tick, out _))
            {
                arrivals.Add(tick);
            }
            else
            {
                invalid++;
            }
        }

        var reference = new ReferencePipeline(arrivals, 10_000, WindowSet.Standard, 20_000);
        var accepted = reference.Accepted.ToDictionary(t => (t.Symbol, t.Timestamp));
        string[] rejected = _folder.ReadLines("out/btc-price-rejected.jsonl");
        Assert.Equal(invalid, rejected.Count(r => r.Contains("\"reason\": \"invalid\"", StringComparison.Ordinal)));
        Assert.Equal(reference.Late.Count, rejected.Count(r => r.Contains("\"reason\": \"late\"", StringComparison.Ordinal)));
        Assert.Equal(reference.Duplicates.Count, rejected.Count(r => r.Contains("\"reason\": \"duplicate\"", StringComparison.Ordinal)));

        var movingByKey = new Dictionary<(string, long), JsonElement>();
        long previous = long.MinValue;
        foreach (JsonElement moving in Read("out/btc-price-moving.jsonl"))
        {
            var key = Key(moving);
            Assert.True(key.Timestamp >= previous, "moving records come out in event-time order");
            previous = key.Timestamp;
            movingByKey.Add(key, moving);
            PriceTick tick = accepted[key];
            int w = 0;
            foreach (JsonElement window in moving.GetProperty("windows").EnumerateArray())
            {
                Assert.Equal(WindowSet.Standard.Name(w), window.GetProperty("window").GetString());
                ExactMath.AssertClose(reference.Mean(tick, w), window.GetProperty("avg_price").GetDouble(), 1e-9, $"avg {key}");
                ExactMath.AssertClose(reference.StandardDeviation(tick, w), window.GetProperty("std_price").GetDouble(), 1e-9, $"std {key}");
                w++;
            }
        }

        Assert.Equal(accepted.Count, movingByKey.Count);

        int zscores = 0;
        foreach (JsonElement z in Read("out/btc-price-zscore.jsonl"))
        {
            var key = Key(z);
            JsonElement[] windows = [.. movingByKey[key].GetProperty("windows").EnumerateArray()];
            int w = 0;
            foreach (JsonElement window in z.GetProperty("zscores").EnumerateArray())
            {
                double expected = ReferencePipeline.ZScore(accepted[key].Price, windows[w].GetProperty("avg_price").GetDouble(), windows[w].GetProperty("std_price").GetDouble());
                ExactMath.AssertClose(expected, window.GetProperty("zscore_price").GetDouble(), 1e-9, $"z {key}");
                w++;
            }

            zscores++;
        }

        Assert.Equal(accepted.Count, zscores);
        CheckLookAhead(reference, accepted, "out/btc-price-higher.jsonl", "higher_window", LookAheadDirection.Higher);
        CheckLookAhead(reference, accepted, "out/btc-price-lower.jsonl", "lower_window", LookAheadDirection.Lower);
    }

    private void CheckLookAhead(ReferencePipeline reference, Dictionary<(string, long), PriceTick> accepted, string file, string field, LookAheadDirection direction)
    {
        var seen = new HashSet<(string, long)>();
        foreach (JsonElement result in Read(file))
        {
            var key = Key(result);
            Assert.True(seen.Add(key), $"{key} emitted twice");
            var (ms, _) = reference.FirstBeyond(accepted[key], direction);
            Assert.Equal(ms / 1000.0, result.GetProperty(field).GetDouble());
        }

        Assert.Equal(accepted.Count, seen.Count);
    }

    private IEnumerable<JsonElement> Read(string file) =>
        _folder.ReadLines(file).Select(line => JsonDocument.Parse(line).RootElement);

    private static (string Symbol, long Timestamp) Key(JsonElement record)
    {
        Assert.True(EventTime.TryParseUtf8(Encoding.UTF8.GetBytes(record.GetProperty("timestamp").GetString()!), out long timestamp));
        return (record.GetProperty("symbol").GetString()!, timestamp);
    }
}
