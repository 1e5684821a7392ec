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

    /// <summary>"NPR 1,23,456.50" is how the trade writes it; the platform writes "NPR 123,456.50" (invariant grouping), everywhere the same.</summary>
    public static string Format(decimal amount) => $"NPR {amount.ToString("N2", System.Globalization.CultureInfo.InvariantCulture)}";
}
