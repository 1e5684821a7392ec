namespace Khaacho.Core.Orders;

/// <summary>A row of order_status_history: who moved the order from which status to which, and why.</summary>
public sealed class OrderStatusChange
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    /// <summary>The order's creation time: the partition key, so history lives beside its order.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    public OrderStatus? FromStatus { get; set; }
    public OrderStatus ToStatus { get; set; }
    public required string Actor { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; }
}
