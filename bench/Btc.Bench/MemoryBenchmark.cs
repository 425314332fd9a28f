using Btc.Rx.Records;
using Btc.Rx.Windows;

namespace Btc.Bench;

/// <summary>Bytes of moving-statistics state per symbol after a full hour of 100 ms ticks.</summary>
internal static class MemoryBenchmark
{
    public static void Run(ResultTable table)
    {
        const int Symbols = 100;
        const int TicksPerSymbol = 36_000; // one hour at 10 Hz fills the longest window
        var calculator = new MovingStatisticsCalculator(WindowSet.Standard);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (PriceTick tick in SampleData.Ticks(Symbols * TicksPerSymbol, Symbols))
        {
            calculator.Add(tick);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(calculator);
        table.Add("memory", "moving state per symbol, 1 h of 100 ms ticks (heap)", $"{(after - before) / Symbols:N0} bytes", $"measured over {Symbols} symbols with GC.GetTotalMemory");
        table.Add("memory", "moving state per symbol, 1 h of 100 ms ticks (ring)", $"{calculator.StateBytes("SYM0000USDT"):N0} bytes", "timestamps and price units: 16 bytes a slot, ring grown by halves");
    }
}
