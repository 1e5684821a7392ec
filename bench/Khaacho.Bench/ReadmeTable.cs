namespace Khaacho.Bench;

/// <summary>
/// A full run rewrites the results sections of bench/README.md (the whole summary) and README.md (the goals table),
/// between their markers, so the READMEs always show the latest full run.
/// </summary>
internal static class ReadmeTable
{
    public const string Start = "<!-- bench:results:start (written by ./khaacho bench) -->";
    public const string End = "<!-- bench:results:end -->";

    public static void Replace(string readme, string content)
    {
        if (!File.Exists(readme)) return;
        var text = File.ReadAllText(readme);
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start) return;
        File.WriteAllText(readme, string.Concat(text.AsSpan(0, start + Start.Length), "\n", content, text.AsSpan(end)));
    }
}
