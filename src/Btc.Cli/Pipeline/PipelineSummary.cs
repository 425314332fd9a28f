using System.Globalization;

namespace Btc.Cli.Pipeline;

/// <summary>The counts of one <c>btc pipeline</c> run, printed at its end.</summary>
internal sealed record PipelineSummary(
    long LinesRead,
    long Accepted,
    long Late,
    long Duplicate,
    long Invalid,
    IReadOnlyList<(string File, long Records)> Outputs,
    TimeSpan Elapsed)
{
    /// <summary>Whether the run was stopped (Ctrl+C, SIGTERM) before the end of its input.</summary>
    public bool Interrupted { get; init; }

    public double RecordsPerSecond => Elapsed.TotalSeconds > 0 ? LinesRead / Elapsed.TotalSeconds : 0;

    public void WriteTo(TextWriter output)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"lines read   {LinesRead,12:N0}"));
        output.WriteLine(string.Create(c, $"accepted     {Accepted,12:N0}"));
        output.WriteLine(string.Create(c, $"late         {Late,12:N0}"));
        output.WriteLine(string.Create(c, $"duplicate    {Duplicate,12:N0}"));
        output.WriteLine(string.Create(c, $"invalid      {Invalid,12:N0}"));
        foreach ((string file, long records) in Outputs)
        {
            output.WriteLine(string.Create(c, $"wrote {records,12:N0} records to {file}"));
        }

        output.WriteLine(string.Create(c, $"elapsed      {Elapsed.TotalSeconds,12:F3} s ({RecordsPerSecond:N0} records/s)"));
        if (Interrupted)
        {
            output.WriteLine("interrupted before the end of the input: the results of the lines read are all written");
        }
    }
}
