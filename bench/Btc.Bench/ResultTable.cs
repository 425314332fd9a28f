using System.Globalization;

namespace Btc.Bench;

/// <summary>The figures of one run, printed together so they can be compared side by side.</summary>
internal sealed class ResultTable
{
    private readonly List<(string Group, string Name, string Value, string Note)> _rows = [];

    public void Add(string group, string name, string value, string note = "") => _rows.Add((group, name, value, note));

    public void AddRate(string group, string name, long count, TimeSpan elapsed, string note = "") =>
        Add(group, name, string.Create(CultureInfo.InvariantCulture, $"{count / elapsed.TotalSeconds,14:N0} records/s"), string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:F3} s for {count:N0}") + (note.Length > 0 ? "; " + note : ""));

    public void Print(TextWriter output)
    {
        int group = _rows.Max(r => r.Group.Length), name = _rows.Max(r => r.Name.Length), value = _rows.Max(r => r.Value.Length);
        output.WriteLine();
        output.WriteLine($"{"what".PadRight(group)} | {"measure".PadRight(name)} | {"figure".PadLeft(value)} | note");
        output.WriteLine($"{new string('-', group)}-|-{new string('-', name)}-|-{new string('-', value)}-|-----");
        foreach (var (g, n, v, note) in _rows)
        {
            output.WriteLine($"{g.PadRight(group)} | {n.PadRight(name)} | {v.PadLeft(value)} | {note}");
        }
    }
}
