using System.Globalization;

namespace Khaacho.Core.Invoicing;

/// <summary>Amounts in figures as Nepal prints them: Indian digit grouping, two decimals (<c>1,23,45,678.90</c>).</summary>
public static class NprFormat
{
    public static string Figures(decimal amount)
    {
        var text = Math.Abs(amount).ToString("0.00", CultureInfo.InvariantCulture);
        var whole = text[..^3];
        var grouped = whole.Length <= 3 ? whole : string.Join(',', Pairs(whole[..^3])) + "," + whole[^3..];
        return (amount < 0 ? "-" : "") + grouped + text[^3..];
    }

    /// <summary>Groups of two from the right: 12345 → 1, 23, 45.</summary>
    private static IEnumerable<string> Pairs(string digits)
    {
        var first = digits.Length % 2;
        if (first > 0) yield return digits[..first];
        for (var i = first; i < digits.Length; i += 2) yield return digits.Substring(i, 2);
    }
}
