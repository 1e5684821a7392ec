namespace Khaacho.Core.Orders;

/// <summary>One line of an order; lives in the same monthly partition as its order (same <see cref="CreatedAt"/>).</summary>
public sealed class OrderItem
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid ProductId { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal LineTotal { get; set; }
    /// <summary>The words of a text order this line was read from.</summary>
    public string? SourceText { get; set; }
}
