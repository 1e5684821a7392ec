namespace Khaacho.Core.Parsing;

/// <summary>
/// Finds the catalogue alias a segment names. Exact matches are looked up by their first token, so a segment costs
/// one dictionary lookup per token whatever the catalogue's size; misspellings are compared only with aliases of a
/// length that could still be similar enough, so a long token costs nothing.
/// </summary>
internal sealed class AliasIndex
{
    private const double MinSimilarity = 0.8;
    private const int MinFuzzyAliasLength = 5;
    private const int MinFuzzyTokenLength = 4;

    private readonly Dictionary<string, List<(string[] Tokens, ParserProduct Product, int Rank)>> byFirstToken = new(StringComparer.Ordinal);
    private readonly List<(string Alias, ParserProduct Product)> fuzzy = [];

    /// <param name="aliases">Tokenized aliases, most specific first: the first that matches wins.</param>
    public AliasIndex(IReadOnlyList<(string[] Tokens, ParserProduct Product)> aliases)
    {
        for (var rank = 0; rank < aliases.Count; rank++)
        {
            var (tokens, product) = aliases[rank];
            if (!byFirstToken.TryGetValue(tokens[0], out var candidates)) byFirstToken[tokens[0]] = candidates = [];
            candidates.Add((tokens, product, rank));
            if (tokens.Length == 1 && tokens[0].Length >= MinFuzzyAliasLength && !HasDigit(tokens[0])) fuzzy.Add((tokens[0], product));
        }
    }

    /// <summary>The most specific alias found in the segment; exact whole-token matches first, then close misspellings.</summary>
    public (ParserProduct Product, int Start, int Length, double Similarity)? Find(string[] tokens)
    {
        (ParserProduct Product, int Start, int Length, int Rank)? exact = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!byFirstToken.TryGetValue(tokens[i], out var candidates)) continue;
            foreach (var (alias, product, rank) in candidates)
            {
                if (exact is { } e && e.Rank <= rank) break; // candidates are in rank order
                if (i + alias.Length <= tokens.Length && alias.AsSpan().SequenceEqual(tokens.AsSpan(i, alias.Length)))
                    exact = (product, i, alias.Length, rank);
            }
        }
        if (exact is { } found) return (found.Product, found.Start, found.Length, 1.0);

        (ParserProduct, int, int, double)? best = null;
        foreach (var (alias, product) in fuzzy)
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                var token = tokens[i];
                if (token.Length < MinFuzzyTokenLength || !CouldBeSimilar(alias.Length, token.Length) || HasDigit(token)) continue;
                var similarity = Similarity(alias, token);
                if (similarity >= MinSimilarity && (best is null || similarity > best.Value.Item4)) best = (product, i, 1, similarity * 0.9);
            }
        }
        return best;
    }

    public static bool HasDigit(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (char.IsDigit(c)) return true;
        }
        return false;
    }

    /// <summary>The edit distance is at least the difference in length: beyond that no alignment is similar enough.</summary>
    private static bool CouldBeSimilar(int a, int b) => 1.0 - (double)Math.Abs(a - b) / Math.Max(a, b) >= MinSimilarity;

    /// <summary>1 − normalised Levenshtein distance, in two rows on the stack (both strings are short once <see cref="CouldBeSimilar"/> holds).</summary>
    private static double Similarity(string a, string b)
    {
        Span<int> previous = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        Span<int> current = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            var swap = previous;
            previous = current;
            current = swap;
        }
        return 1.0 - (double)previous[b.Length] / Math.Max(a.Length, b.Length);
    }
}
