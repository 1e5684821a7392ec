namespace Khaacho.Core.Orders;

/// <summary>The states an order moves through; <see cref="OrderStateMachine"/> says which moves are legal.</summary>
public enum OrderStatus
{
    Received,
    Parsing,
    Parsed,
    NeedsClarification,
    /// <summary>Risk-flagged: waiting for a person (staff) to approve or reject it, until its review deadline.</summary>
    AwaitingReview,
    Validated,
    Confirmed,
    Accepted,
    RejectedByVendor,
    Dispatched,
    Delivered,
    Completed,
    Cancelled,
    Failed,
}

public enum OrderSource
{
    Items,
    Text,
}

public enum OrderPriority
{
    Normal,
    High,
    Urgent,
}
