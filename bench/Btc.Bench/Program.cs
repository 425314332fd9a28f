using System.Globalization;
using Btc.Bench;

// Prints every figure of docs/performance.md side by side; see docs/performance.md.
//   dotnet run -c Release --project bench/Btc.Bench [-- --only moving,pipeline,memory,kafka,latency,scale] [--records N] [--scale-minutes M]
string Arg(string name, string fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
HashSet<string> only = [.. Arg("--only", "moving,pipeline,memory,kafka,latency,scale").Split(',')];
int records = int.Parse(Arg("--records", "1000000"), CultureInfo.InvariantCulture);
double scaleMinutes = double.Parse(Arg("--scale-minutes", "10"), CultureInfo.InvariantCulture);
var table = new ResultTable();
if (only.Contains("moving"))
{
    MovingBenchmark.Run(table, ticks: 5_000_000);
}

if (only.Contains("pipeline"))
{
    PipelineBenchmark.Run(table, records);
}

if (only.Contains("memory"))
{
    MemoryBenchmark.Run(table);
}

if (only.Contains("kafka"))
{
    KafkaStageBenchmark.Run(table);
    StageLogicBenchmark.Run(table);
}

if (only.Contains("latency"))
{
    LatencyBenchmark.Run(table, TimeSpan.FromSeconds(60));
}

if (only.Contains("scale"))
{
    ScaleBenchmark.Run(table, TimeSpan.FromMinutes(scaleMinutes));
}

table.Print(Console.Out);
