namespace Khaacho.Core.Orders;

public sealed class IllegalOrderTransitionException(Guid orderId, OrderStatus from, OrderStatus to)
    : InvalidOperationException($"Order {orderId} cannot move from {from.ToWire()} to {to.ToWire()}.")
{
    public OrderStatus From { get; } = from;
    public OrderStatus To { get; } = to;
}
