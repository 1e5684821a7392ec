using System.Text;
using System.Text.RegularExpressions;

namespace Khaacho.Core.Parsing;

/// <summary>
/// Puts chat text and catalogue aliases in one shape: lower case, ASCII digits (Devanagari ones too), units spelled
/// one way and joined to their number ("15 kg" and "१५ केजी" are both "15kg"), "x3" as "x 3".
/// </summary>
public static partial class TextNormalizer
{
    private static readonly (string From, string To)[] UnitWords =
    [
        ("केजी", "kg"), ("किलो", "kg"), ("लिटर", "l"), ("ग्राम", "g"),
    ];

    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            // Devanagari digits ० (U+0966) to ९ (U+096F).
            sb.Append(c is >= '\u0966' and <= '\u096F' ? (char)('0' + (c - '\u0966')) : c);
        }
        var s = sb.ToString();
        foreach (var (from, to) in UnitWords) s = s.Replace(from, " " + to + " ", StringComparison.Ordinal);
        s = Punctuation().Replace(s, " ");
        s = Times().Replace(s, " x $1");
        s = MeasureUnit().Replace(s, m => $"{m.Groups[1].Value}{Canonical(m.Groups[2].Value)}");
        return Spaces().Replace(s, " ").Trim();
    }

    private static string Canonical(string unit) => unit switch
    {
        "kg" or "kgs" or "kilo" or "kilos" => "kg",
        "g" or "gm" or "gram" or "grams" or "gms" => "g",
        "l" or "ltr" or "ltrs" or "litre" or "litres" or "liter" or "liters" or "lt" => "l",
        "ml" => "ml",
        _ => unit,
    };

    [GeneratedRegex(@"[^\p{L}\p{M}\p{N}\.\-\s]")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"(?<![\p{L}])x(\d)")]
    private static partial Regex Times();

    // Tried only from the first digit of a run: linear, not quadratic, in a long run of digits.
    [GeneratedRegex(@"(?<!\d)(\d+(?:\.\d+)?)\s*(kgs|kg|kilos|kilo|grams|gram|gms|gm|g|ltrs|ltr|litres|litre|liters|liter|lt|ml|l)\b")]
    private static partial Regex MeasureUnit();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
