namespace Khaacho.Core.Credit;

/// <summary>What a blocked retailer reads when an order fails.</summary>
public static class RetailerHold
{
    public static string Reason(string? staffReason) =>
        $"Your account is on hold{(string.IsNullOrWhiteSpace(staffReason) ? "" : $": {staffReason}")}. Contact Khaacho support to lift it.";
}
