using System.Globalization;
using System.Text.RegularExpressions;

namespace Khaacho.Core.Parsing;

/// <summary>
/// Reads chat orders without any network: rules plus matching of catalogue names, aliases and codes (romanized Nepali,
/// Devanagari, common misspellings). Deterministic: the same text and catalogue always give the same items. It is the
/// first, free step of every parse and the last resort when no model answers.
/// </summary>
public sealed partial class OfflineOrderParser
{
    public const string ProviderName = "offline";

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["ek"] = 1, ["euta"] = 1, ["dui"] = 2, ["duita"] = 2, ["tin"] = 3, ["teen"] = 3, ["tinta"] = 3, ["char"] = 4, ["chaar"] = 4,
        ["paanch"] = 5, ["panch"] = 5, ["pach"] = 5, ["chha"] = 6, ["saat"] = 7, ["sat"] = 7, ["aath"] = 8, ["nau"] = 9, ["das"] = 10,
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10,
        ["twelve"] = 12, ["twenty"] = 20,
    };

    // Words that count the product's own units: "3 bora", "5 carton", "4 ota".
    private static readonly Dictionary<string, string[]> CountUnits = new(StringComparer.Ordinal)
    {
        ["bag"] = ["bag", "sack"], ["bags"] = ["bag", "sack"], ["bora"] = ["sack", "bag"], ["boro"] = ["sack", "bag"], ["sack"] = ["sack", "bag"],
        ["carton"] = ["carton"], ["cartons"] = ["carton"], ["ctn"] = ["carton"], ["peti"] = ["carton"],
        ["packet"] = ["packet", "pack"], ["packets"] = ["packet", "pack"], ["pkt"] = ["packet", "pack"], ["pack"] = ["pack", "packet"], ["poka"] = ["packet"],
        ["bottle"] = ["bottle"], ["bottles"] = ["bottle"], ["btl"] = ["bottle"], ["jar"] = ["jar"], ["jars"] = ["jar"],
        ["pouch"] = ["pouch"], ["tray"] = ["tray"], ["trays"] = ["tray"], ["tin"] = ["tin"], ["strip"] = ["strip"], ["strips"] = ["strip"],
        ["bundle"] = ["bundle"], ["bundles"] = ["bundle"], ["tube"] = ["tube"], ["tubes"] = ["tube"],
        ["pcs"] = [], ["pc"] = [], ["piece"] = [], ["pieces"] = [], ["ota"] = [], ["wota"] = [], ["wata"] = [], ["ta"] = [], ["nos"] = [],
    };

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "wala", "vala", "ko", "ka", "ki", "all", "of", "each", "please", "pls", "dinus", "pathaidinus", "pathaunus", "chahiyo", "dai", "namaste",
    };

    private readonly IReadOnlyList<ParserProduct> products;
    private readonly List<(string[] Tokens, ParserProduct Product)> aliases;

    public OfflineOrderParser(IReadOnlyList<ParserProduct> products)
    {
        this.products = products;
        aliases = [.. products.SelectMany(p => p.Aliases.Append(p.Name).Append(p.Code)
                .Select(a => (Tokens: Tokenize(TextNormalizer.Normalize(a)), Product: p)))
            .Where(a => a.Tokens.Length > 0)
            .OrderByDescending(a => a.Tokens.Length).ThenByDescending(a => a.Tokens.Sum(t => t.Length))];
    }

    public IReadOnlyList<ParserProduct> Products => products;

    public ParsedOrder Parse(string text)
    {
        var items = new List<ParsedItem>();
        var unmatched = new List<string>();
        foreach (var segment in Segments().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            var tokens = Tokenize(TextNormalizer.Normalize(segment));
            var item = ParseSegment(tokens, segment);
            if (item is not null) items.Add(item);
            else if (LooksLikeAnItem(tokens)) unmatched.Add(segment);
        }
        // One line per product: "2 chini ... 3 chini" is 5.
        var merged = items.GroupBy(i => i.ProductId)
            .Select(g => g.First() with { Quantity = g.Sum(i => i.Quantity), Confidence = g.Min(i => i.Confidence), SourceText = string.Join(", ", g.Select(i => i.SourceText)) })
            .ToList();
        var confidence = merged.Count == 0 ? 0 : merged.Min(i => i.Confidence) * (unmatched.Count == 0 ? 1 : 0.5);
        return new ParsedOrder(merged, unmatched, Math.Round(confidence, 3), ProviderName);
    }

    private ParsedItem? ParseSegment(string[] tokens, string source)
    {
        var match = FindProduct(tokens);
        if (match is null) return null;
        var (product, start, length, similarity) = match.Value;
        var rest = tokens.Take(start).Concat(tokens.Skip(start + length)).ToArray();
        product = Disambiguate(product, rest);
        var quantity = QuantityOf(rest, product, out var quantityConfidence);
        if (quantity is null or <= 0) return null;
        return new ParsedItem(product.Id, product.Code, product.Name, quantity.Value, product.Unit, Math.Round(similarity * quantityConfidence, 3), source);
    }

    /// <summary>The longest alias found in the segment; exact whole-token matches first, then close misspellings.</summary>
    private (ParserProduct Product, int Start, int Length, double Similarity)? FindProduct(string[] tokens)
    {
        foreach (var (alias, product) in aliases)
        {
            for (var i = 0; i + alias.Length <= tokens.Length; i++)
            {
                if (alias.AsSpan().SequenceEqual(tokens.AsSpan(i, alias.Length))) return (product, i, alias.Length, 1.0);
            }
        }
        (ParserProduct, int, int, double)? best = null;
        foreach (var (alias, product) in aliases.Where(a => a.Tokens.Length == 1 && a.Tokens[0].Length >= 5 && !IsNumeric(a.Tokens[0])))
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                if (tokens[i].Length < 4 || IsNumeric(tokens[i])) continue;
                var similarity = Similarity(alias[0], tokens[i]);
                if (similarity >= 0.8 && (best is null || similarity > best.Value.Item4)) best = (product, i, 1, similarity * 0.9);
            }
        }
        return best;
    }

    /// <summary>
    /// Among products sharing the matched words (chini: 1 kg packet or 50 kg sack), the one the rest of the segment
    /// points to: a pack size it names ("5kg", "25kg") or the unit it counts in ("bora" is a sack).
    /// </summary>
    private ParserProduct Disambiguate(ParserProduct matched, string[] rest)
    {
        var family = products.Where(p => p.Id != matched.Id && SharesHead(p, matched)).Prepend(matched).ToList();
        if (family.Count == 1) return matched;
        var measures = rest.Select(Measure).Where(m => m is not null).Select(m => m!.Value).ToList();
        var units = rest.Where(CountUnits.ContainsKey).SelectMany(t => CountUnits[t]).ToHashSet();
        return family
            .Select((p, order) => (Product: p, Order: order, Score:
                (measures.Any(m => PackAmount(p) is { } pack && pack.Unit == m.Unit && pack.Amount == m.Amount) ? 3 : 0)
                + (units.Contains(p.Unit) ? 2 : 0)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Order).First().Product;
    }

    private static bool SharesHead(ParserProduct candidate, ParserProduct matched)
    {
        var heads = matched.Aliases.Select(a => TextNormalizer.Normalize(a).Split(' ')[0]).Where(h => h.Length >= 4 && !IsNumeric(h)).ToHashSet();
        return candidate.Aliases.Any(a => heads.Contains(TextNormalizer.Normalize(a).Split(' ')[0]));
    }

    /// <summary>How many of the product's own units: a counted number ("3 bora", "x 4", "4 ota", a bare "5") wins over a weight or volume, which is converted by pack size ("15kg" of a 1 kg packet is 15).</summary>
    private static int? QuantityOf(string[] rest, ParserProduct product, out double confidence)
    {
        confidence = 1.0;
        for (var i = 0; i < rest.Length; i++)
        {
            if (!TryNumber(rest[i], out var n)) continue;
            var next = i + 1 < rest.Length ? rest[i + 1] : null;
            if (next == "dozen" || (i > 0 && rest[i - 1] == "dozen")) return (int)(n * 12);
            if (next is not null && CountUnits.ContainsKey(next)) return (int)n;
            if (i > 0 && rest[i - 1] == "x") return (int)n;
        }
        foreach (var token in rest)
        {
            if (TryNumber(token, out var n) && n == Math.Floor(n))
            {
                confidence = 0.9; // a bare number: most likely the count
                return (int)n;
            }
        }
        foreach (var token in rest)
        {
            if (Measure(token) is not { } measure || PackAmount(product) is not { } pack || pack.Unit != measure.Unit) continue;
            var packs = measure.Amount / pack.Amount;
            if (packs >= 1 && packs == Math.Floor(packs)) return (int)packs;
        }
        return null;
    }

    private static bool LooksLikeAnItem(string[] tokens) => tokens.Any(t => TryNumber(t, out _) || Measure(t) is not null);

    private static bool TryNumber(string token, out decimal value)
    {
        if (NumberWords.TryGetValue(token, out var word)) { value = word; return true; }
        return decimal.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value > 0;
    }

    private static bool IsNumeric(string token) => token.Any(char.IsDigit);

    private static (decimal Amount, string Unit)? Measure(string token)
    {
        var m = MeasureToken().Match(token);
        return m.Success ? Normalize(decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value) : null;
    }

    private static (decimal Amount, string Unit)? PackAmount(ParserProduct product)
    {
        var m = MeasureToken().Match(TextNormalizer.Normalize(product.PackSize).Replace(" ", "", StringComparison.Ordinal));
        return m.Success ? Normalize(decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value) : null;
    }

    private static (decimal, string) Normalize(decimal amount, string unit) => unit switch
    {
        "g" => (amount / 1000, "kg"),
        "ml" => (amount / 1000, "l"),
        _ => (amount, unit),
    };

    private static string[] Tokenize(string normalized) =>
        [.. normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('.', '-')).Where(t => t.Length > 0 && !Fillers.Contains(t))];

    /// <summary>1 − normalised Levenshtein distance.</summary>
    private static double Similarity(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return 1.0 - (double)d[a.Length, b.Length] / Math.Max(a.Length, b.Length);
    }

    [GeneratedRegex(@"[,;\n\r]+|\s+(?:r|ra|and|र|&)\s+")]
    private static partial Regex Segments();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(kg|g|l|ml)$")]
    private static partial Regex MeasureToken();
}
