namespace Khaacho.Core.Orders;

/// <summary>Why an order failed, as the status endpoint reports it.</summary>
public static class OrderFailureCodes
{
    public const string Validation = "validation";
    public const string RetailerInactive = "retailer_inactive";
    /// <summary>Staff put the retailer's credit on hold (<c>POST /retailers/{id}/block</c>).</summary>
    public const string RetailerBlocked = "retailer_blocked";
    /// <summary>No longer written: a risk-flagged order waits in review (kept for orders failed before the queue).</summary>
    public const string Risk = "risk";
    public const string NoVendor = "no_vendor";
    public const string CreditLimit = "credit_limit";
    public const string DeadLettered = "dead_lettered";
    /// <summary>The sweeper drove the order again as many times as it may, and it still did not move.</summary>
    public const string Stalled = "stalled";
    /// <summary>Staff rejected the risk-flagged order in review; the reason is the reviewer's.</summary>
    public const string ReviewRejected = "review_rejected";
    /// <summary>Nobody reviewed the risk-flagged order before its review deadline.</summary>
    public const string ReviewExpired = "review_expired";
}
