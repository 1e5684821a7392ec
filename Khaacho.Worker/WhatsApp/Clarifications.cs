using System.Text.RegularExpressions;
using Khaacho.Core.Orders;
using Khaacho.Core.Parsing;
using Khaacho.Core.WhatsApp;

namespace Khaacho.Worker.WhatsApp;

/// <summary>
/// A part of the message the parser could not settle ("tel 2") becomes a question when the catalogue offers what it
/// could mean: every product whose name or alias shares a word with it (not a number, not a unit word), at most nine,
/// so the list still has room for "leave it out".
/// </summary>
public static partial class Clarifications
{
    private static readonly HashSet<string> NotProductWords =
        ["bora", "bag", "carton", "ctn", "packet", "pkt", "piece", "pcs", "kg", "ltr", "litre", "l", "g", "dozen", "tray", "box", "jar", "bottle", "wala", "ko", "ra", "and"];

    public static DraftQuestion? For(string fragment, IReadOnlyList<ParserProduct> products)
    {
        var words = Words(fragment).Where(w => w.Length >= 3 && !NotProductWords.Contains(w) && !w.Any(char.IsAsciiDigit)).ToHashSet();
        if (words.Count == 0) return null;
        var choices = products
            .Where(p => p.Aliases.Append(p.Name).SelectMany(Words).Any(words.Contains))
            .Take(ChatContent.MaxOptions - 1)
            .Select(p => new DraftLine(p.Id, p.Code, p.Name, 0))
            .ToList();
        if (choices.Count == 0) return null;
        var quantity = Number().Match(fragment) is { Success: true } m && int.TryParse(m.Value, out var n) ? Math.Clamp(n, 1, OrderLimits.MaxQuantity) : 1;
        return new DraftQuestion(fragment.Length > 100 ? fragment[..100] : fragment, quantity, choices);
    }

    private static IEnumerable<string> Words(string text) =>
        TextNormalizer.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex("[0-9]{1,9}")]
    private static partial Regex Number();
}
