using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;

namespace Khaacho.Core.Orders;

/// <summary>
/// Moves an order by a person's (or a deadline's) decision and applies what the move means: a vendor's rejection or a
/// missed deadline releases stock and credit and queues a reroute; a cancellation releases; dispatch turns reserved
/// stock into sold stock. The caller saves and commits, in one transaction with these effects.
/// </summary>
public static class OrderLifecycle
{
    private static readonly System.Diagnostics.Metrics.Counter<long> Moves = Microsoft.Extensions.Hosting.KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.orders.moved", description: "Orders moved by a person or a deadline (accepted, rejected_by_vendor, dispatched, cancelled...), by target status");

    /// <param name="order">Tracked, with its items loaded.</param>
    /// <returns>Outbox rows to publish after the commit.</returns>
    public static async Task<IReadOnlyList<OutboxMessage>> MoveAsync(
        KhaachoDbContext db, Order order, OrderStatus to, string actor, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outbox = new List<OutboxMessage>();
        var held = Reservations.HoldsReservation(order.Status);
        var vendorId = order.VendorId;
        db.OrderStatusHistory.Add(order.TransitionTo(to, actor, reason, now));
        Moves.Add(1, new KeyValuePair<string, object?>("status", to.ToWire()));

        switch (to)
        {
            case OrderStatus.RejectedByVendor:
                await Reservations.ReleaseAsync(db, order, now, cancellationToken);
                order.ExcludedVendorIds = [.. order.ExcludedVendorIds, vendorId!.Value];
                order.AcceptanceDeadline = null;
                outbox.Add(Outbox.ForOrder(Streams.Orders, order, "reroute", now));
                break;
            case OrderStatus.Cancelled or OrderStatus.Failed when held:
                await Reservations.ReleaseAsync(db, order, now, cancellationToken);
                order.AcceptanceDeadline = null;
                if (vendorId is { } vendor)
                    outbox.Add(Outbox.Notify(order, RecipientKind.Vendor, vendor, $"order_{to.ToWire()}", $"Order {order.OrderNumber} was {to.ToWire()}: {reason ?? "no reason given"}.", now));
                break;
            case OrderStatus.Accepted:
                order.AcceptanceDeadline = null;
                outbox.Add(Outbox.Notify(order, RecipientKind.Retailer, order.RetailerId, "order_accepted", $"Your order {order.OrderNumber} was accepted by the vendor.", now));
                break;
            case OrderStatus.Dispatched:
                await Reservations.ConsumeStockAsync(db, order, cancellationToken);
                outbox.Add(Outbox.Notify(order, RecipientKind.Retailer, order.RetailerId, "order_dispatched", $"Your order {order.OrderNumber} is on its way.", now));
                break;
        }
        db.Outbox.AddRange(outbox);
        return outbox;
    }

    /// <summary>Ends the order as failed with a code and a reason the retailer can act on, and tells the retailer.</summary>
    public static async Task<IReadOnlyList<OutboxMessage>> FailAsync(
        KhaachoDbContext db, Order order, string code, string reason, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outbox = new List<OutboxMessage>(await MoveAsync(db, order, OrderStatus.Failed, actor, reason, now, cancellationToken));
        order.FailureCode = code;
        order.FailureReason = reason;
        var notice = Outbox.Notify(order, RecipientKind.Retailer, order.RetailerId, "order_failed", $"Your order {order.OrderNumber} could not be completed: {reason}", now);
        db.Outbox.Add(notice);
        outbox.Add(notice);
        return outbox;
    }
}
