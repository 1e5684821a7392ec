namespace Khaacho.Bench;

/// <summary>A full run rewrites the results section of bench/README.md, between its two markers, with its own summary.</summary>
internal static class ReadmeTable
{
    public const string Start = "<!-- bench:results:start (written by ./khaacho bench) -->";
    public const string End = "<!-- bench:results:end -->";

    public static void Replace(string readme, string summary)
    {
        var text = File.ReadAllText(readme);
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start) return;
        File.WriteAllText(readme, string.Concat(text.AsSpan(0, start + Start.Length), "\n", summary, text.AsSpan(end)));
    }
}
