using System.Globalization;

namespace Khaacho.Core.Credit;

/// <summary>
/// The money rules, in one place: NPR as <see cref="decimal"/> with paisa (two places), rounded half away from zero
/// (as receipts round) only where an amount is computed (a line, the VAT); amounts a person enters must already be
/// whole paisa and are refused otherwise, never rounded.
/// </summary>
public static class Money
{
    /// <summary>The largest single amount (payment, adjustment, limit) accepted: NPR 100 crore.</summary>
    public const decimal MaxAmount = 1_000_000_000m;

    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public static bool IsWholePaisa(decimal amount) => amount == Math.Round(amount, 2);

    /// <summary>An amount as notices and statements write it: <c>NPR 1,23,456.50</c>.</summary>
    public static string Format(decimal amount) => $"NPR {Figures(amount)}";

    /// <summary>Figures as Nepal prints them: Indian digit grouping, two decimals (<c>1,23,45,678.90</c>).</summary>
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
