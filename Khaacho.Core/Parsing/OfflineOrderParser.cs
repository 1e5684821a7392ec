using System.Globalization;
using System.Text.RegularExpressions;
using Khaacho.Core.Orders;

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
    private readonly AliasIndex aliases;
    private readonly Dictionary<Guid, ParserProduct[]> families;
    private readonly Dictionary<Guid, (decimal Amount, string Unit)?> packs;

    public OfflineOrderParser(IReadOnlyList<ParserProduct> products)
    {
        this.products = products;
        aliases = new AliasIndex([.. products.SelectMany(p => p.Aliases.Append(p.Name).Append(p.Code)
                .Select(a => (Tokens: Tokenize(TextNormalizer.Normalize(a)), Product: p)))
            .Where(a => a.Tokens.Length > 0)
            .OrderByDescending(a => a.Tokens.Length).ThenByDescending(a => a.Tokens.Sum(t => t.Length))]);
        // Per catalogue, not per segment: a text of many segments must not redo this work for each.
        var heads = products.ToDictionary(p => p.Id, p => p.Aliases.Select(a => TextNormalizer.Normalize(a).Split(' ')[0]).ToHashSet());
        families = products.ToDictionary(p => p.Id, matched =>
        {
            var own = heads[matched.Id].Where(h => h.Length >= 4 && !IsNumeric(h)).ToHashSet();
            return products.Where(p => p.Id != matched.Id && heads[p.Id].Overlaps(own)).Prepend(matched).ToArray();
        });
        packs = products.ToDictionary(p => p.Id, p => Measure(TextNormalizer.Normalize(p.PackSize).Replace(" ", "", StringComparison.Ordinal)));
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
        // One line per product: "2 chini ... 3 chini" is 5; a total beyond the order limit is not understood either.
        var merged = new List<ParsedItem>();
        foreach (var group in items.GroupBy(i => i.ProductId))
        {
            var quantity = group.Sum(i => i.Quantity);
            if (quantity > OrderLimits.MaxQuantity) unmatched.AddRange(group.Select(i => i.SourceText));
            else merged.Add(group.First() with { Quantity = quantity, Confidence = group.Min(i => i.Confidence), SourceText = string.Join(", ", group.Select(i => i.SourceText)) });
        }
        var confidence = merged.Count == 0 ? 0 : merged.Min(i => i.Confidence) * (unmatched.Count == 0 ? 1 : 0.5);
        return new ParsedOrder(merged, unmatched, Math.Round(confidence, 3), ProviderName);
    }

    private ParsedItem? ParseSegment(string[] tokens, string source)
    {
        var match = aliases.Find(tokens);
        if (match is null) return null;
        var (product, start, length, similarity) = match.Value;
        var rest = tokens.Take(start).Concat(tokens.Skip(start + length)).ToArray();
        product = Disambiguate(product, rest);
        // Fewer than one unit, or more than an order may hold, is not a quantity this order can have.
        if (QuantityOf(rest, product, out var quantityConfidence) is not { } quantity || quantity is < 1 or > OrderLimits.MaxQuantity) return null;
        return new ParsedItem(product.Id, product.Code, product.Name, (int)quantity, product.Unit, Math.Round(similarity * quantityConfidence, 3), source);
    }

    /// <summary>
    /// Among products sharing the matched words (chini: 1 kg packet or 50 kg sack), the one the rest of the segment
    /// points to: a pack size it names ("5kg", "25kg") or the unit it counts in ("bora" is a sack).
    /// </summary>
    private ParserProduct Disambiguate(ParserProduct matched, string[] rest)
    {
        var family = families[matched.Id];
        if (family.Length == 1) return matched;
        var measures = rest.Select(Measure).Where(m => m is not null).Select(m => m!.Value).ToList();
        var units = rest.Where(CountUnits.ContainsKey).SelectMany(t => CountUnits[t]).ToHashSet();
        var (best, bestScore) = (matched, -1);
        foreach (var candidate in family)
        {
            var score = (measures.Exists(m => packs[candidate.Id] is { } pack && pack.Unit == m.Unit && pack.Amount == m.Amount) ? 3 : 0)
                + (units.Contains(candidate.Unit) ? 2 : 0);
            if (score > bestScore) (best, bestScore) = (candidate, score);
        }
        return best;
    }

    /// <summary>How many of the product's own units: a counted number ("3 bora", "x 4", "4 ota", a bare "5") wins over a weight or volume, which is converted by pack size ("15kg" of a 1 kg packet is 15).</summary>
    private decimal? QuantityOf(string[] rest, ParserProduct product, out double confidence)
    {
        confidence = 1.0;
        for (var i = 0; i < rest.Length; i++)
        {
            if (!TryNumber(rest[i], out var n)) continue;
            var next = i + 1 < rest.Length ? rest[i + 1] : null;
            // Bounded before multiplying: a dozen of 10^28 would overflow even a decimal.
            if (next == "dozen" || (i > 0 && rest[i - 1] == "dozen")) return Math.Truncate(Math.Min(n, OrderLimits.MaxQuantity + 1) * 12);
            if (next is not null && CountUnits.ContainsKey(next)) return Math.Truncate(n);
            if (i > 0 && rest[i - 1] == "x") return Math.Truncate(n);
        }
        foreach (var token in rest)
        {
            if (TryNumber(token, out var n) && n == Math.Floor(n))
            {
                confidence = 0.9; // a bare number: most likely the count
                return n;
            }
        }
        foreach (var token in rest)
        {
            if (Measure(token) is not { } measure || packs[product.Id] is not { } pack || pack.Unit != measure.Unit || pack.Amount == 0) continue;
            var count = measure.Amount / pack.Amount;
            if (count >= 1 && count == Math.Floor(count)) return count;
        }
        return null;
    }

    /// <summary>Anything shaped like a number or a measure, whether or not it is one an order can hold.</summary>
    private static bool LooksLikeAnItem(string[] tokens) => tokens.Any(t => TryNumber(t, out _) || MeasureToken().IsMatch(t) || t.All(char.IsAsciiDigit));

    private static bool TryNumber(string token, out decimal value)
    {
        if (NumberWords.TryGetValue(token, out var word)) { value = word; return true; }
        return decimal.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value > 0;
    }

    private static bool IsNumeric(string token) => AliasIndex.HasDigit(token);

    /// <summary>"15kg" as (15, kg); null for anything else, including amounts too large for a decimal.</summary>
    private static (decimal Amount, string Unit)? Measure(string token)
    {
        if (!MeasureToken().IsMatch(token)) return null;
        var m = MeasureToken().Match(token);
        return decimal.TryParse(m.Groups[1].ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? Normalize(amount, m.Groups[2].Value)
            : null;
    }

    private static (decimal, string) Normalize(decimal amount, string unit) => unit switch
    {
        "g" => (amount / 1000, "kg"),
        "ml" => (amount / 1000, "l"),
        _ => (amount, unit),
    };

    private static string[] Tokenize(string normalized) =>
        [.. normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('.', '-')).Where(t => t.Length > 0 && !Fillers.Contains(t))];

    // A run of white space is tried from its start only: linear, not quadratic, in a long run.
    [GeneratedRegex(@"[,;\n\r]+|(?<!\s)\s+(?:r|ra|and|र|&)\s+")]
    private static partial Regex Segments();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(kg|g|l|ml)$")]
    private static partial Regex MeasureToken();
}
