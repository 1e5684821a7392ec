using Khaacho.Core.Identity;
using Microsoft.Extensions.Logging;

namespace Khaacho.Core.Orders;

public enum StatusChangeOutcome
{
    Moved,
    NotFound,
    /// <summary>The role never makes this move, or not from the order's state.</summary>
    Forbidden,
    /// <summary>The state machine does not allow the move from the order's state.</summary>
    Illegal,
    /// <summary>Someone else changed the order first.</summary>
    Concurrent,
}

/// <param name="From">The status the order was in when the change was tried.</param>
public sealed record StatusChangeResult(StatusChangeOutcome Outcome, OrderStatus From, Order? Order);

/// <summary>
/// A person moving an order by hand — a PATCH from the api or a tap in WhatsApp, the same rules and the same history
/// row either way: the role's rules (<see cref="ManualTransitions"/>), the state machine, the caller's view of orders.
/// </summary>
public sealed partial class OrderStatusChanges(OrderTransactions transactions, ILogger<OrderStatusChanges> logger)
{
    public async Task<StatusChangeResult> ChangeAsync(CurrentUser user, Guid orderId, DateTimeOffset createdAt, OrderStatus to, string? reason, CancellationToken cancellationToken)
    {
        var outcome = StatusChangeOutcome.NotFound;
        var from = default(OrderStatus);
        var result = await transactions.ChangeAsync("status_change", orderId, createdAt, async (change, ct) =>
        {
            from = change.Order.Status;
            // A move the role never makes is Forbidden; then the state machine (a second cancel racing the first is
            // Illegal); then the role's rule for this order's state.
            if (!ManualTransitions.MayEverMoveTo(user, to)) outcome = StatusChangeOutcome.Forbidden;
            else if (!OrderStateMachine.CanTransition(from, to)) outcome = StatusChangeOutcome.Illegal;
            else if (!ManualTransitions.MayMove(user, from, to)) outcome = StatusChangeOutcome.Forbidden;
            else
            {
                outcome = StatusChangeOutcome.Moved;
                await OrderLifecycle.MoveAsync(change, to, user.Actor, reason?.Trim(), ct);
            }
        }, cancellationToken, scope: orders => orders.VisibleTo(user));
        if (result.Outcome == OrderChangeOutcome.NotFound) outcome = StatusChangeOutcome.NotFound;
        if (result.Outcome == OrderChangeOutcome.Conflict) outcome = StatusChangeOutcome.Concurrent;
        if (outcome == StatusChangeOutcome.Moved) LogStatusChanged(logger, orderId, from.ToWire(), to.ToWire(), user.Actor);
        return new StatusChangeResult(outcome, from, result.Order);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} moved from {From} to {To} by {Actor}")]
    private static partial void LogStatusChanged(ILogger logger, Guid orderId, string from, string to, string actor);
}
