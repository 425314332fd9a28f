using Btc.Bench;

// Prints every figure of docs/performance.md side by side; see bench/README.md.
int records = args.Length > 1 && args[0] == "--records" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
var table = new ResultTable();
MovingBenchmark.Run(table, ticks: 5_000_000);
PipelineBenchmark.Run(table, records);
MemoryBenchmark.Run(table);
table.Print(Console.Out);
