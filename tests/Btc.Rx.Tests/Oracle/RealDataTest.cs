using System.Text;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Tests.Support;

namespace Btc.Rx.Tests.Oracle;

/// <summary>Two hours of real BTCUSDT trades (flat stretches, equal prices, bursts) through every operator, against the oracle.</summary>
public class RealDataTest
{
    [SkippableFact]
    public void TardisTrades_MatchTheOracle()
    {
        string? csv = TardisTrades.FindCsv();
        Skip.If(csv is null, "../shared/data/tardis_trades.csv is not beside the repository");
        List<string> lines = TardisTrades.ToPriceLines(csv!);
        var parser = new PriceRecordParser();
        var ticks = new List<PriceTick>();
        foreach (string line in lines)
        {
            Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(line), out PriceTick tick, out string? reason), reason);
            ticks.Add(tick);
        }

        Assert.True(ticks.Count > 4_000, $"only {ticks.Count} records");
        OperatorsAgainstOracleTest.Check(new Scenario(ticks, Style: -1), WindowSet.Standard, horizonMs: 20_000);
    }
}
