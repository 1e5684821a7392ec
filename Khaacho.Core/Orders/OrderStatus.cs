namespace Khaacho.Core.Orders;

/// <summary>The states an order moves through; <see cref="OrderStateMachine"/> says which moves are legal.</summary>
public enum OrderStatus
{
    Received,
    Parsing,
    Parsed,
    NeedsClarification,
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
