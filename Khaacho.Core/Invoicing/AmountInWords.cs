using System.Globalization;
using Khaacho.Core.Orders;

namespace Khaacho.Core.Invoicing;

/// <summary>
/// An NPR amount in words as Nepali invoices write it, in the Indian numbering system (thousand, lakh, crore):
/// "Rupees one lakh twenty-three thousand four hundred fifty-six and seventy-eight paisa only". Humanizer has such a
/// converter (en-IN) but reaches it only through a CultureInfo, which invariant globalization refuses to create.
/// </summary>
public static class AmountInWords
{
    private static readonly string[] Ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    /// <exception cref="ArgumentOutOfRangeException">A negative amount: an invoice never carries one.</exception>
    public static string Npr(decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var rounded = OrderPricing.Round(amount);
        var rupees = decimal.Truncate(rounded);
        var paisa = (int)((rounded - rupees) * 100);
        return paisa == 0 ? $"Rupees {Words((long)rupees)} only" : $"Rupees {Words((long)rupees)} and {Words(paisa)} paisa only";
    }

    /// <summary>A whole number in words: crore, lakh, thousand, hundred; crores above 99 are counted in words again.</summary>
    public static string Words(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        if (number == 0) return Ones[0];
        var parts = new List<string>();
        if (number >= 10_000_000)
        {
            parts.Add($"{Words(number / 10_000_000)} crore");
            number %= 10_000_000;
        }
        foreach (var (size, name) in new[] { (100_000L, "lakh"), (1_000L, "thousand"), (100L, "hundred") })
        {
            if (number < size) continue;
            parts.Add($"{BelowHundred((int)(number / size))} {name}");
            number %= size;
        }
        if (number > 0) parts.Add(BelowHundred((int)number));
        return string.Join(' ', parts);
    }

    private static string BelowHundred(int n) => n < 20
        ? Ones[n]
        : n % 10 == 0 ? Tens[n / 10] : string.Create(CultureInfo.InvariantCulture, $"{Tens[n / 10]}-{Ones[n % 10]}");
}
