using Khaacho.Core.Credit;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;

namespace Khaacho.Core.Orders;

/// <summary>
/// Moves an order by a person's (or a deadline's) decision and applies what the move means: a vendor's rejection or a
/// missed deadline releases stock and credit and queues a reroute; a cancellation releases what the order holds; dispatch
/// turns reserved stock into sold stock; delivery turns reserved credit into an amount owed. Runs inside an <see cref="OrderTransactions"/> step, which commits it with these effects.
/// </summary>
public static class OrderLifecycle
{
    private static readonly System.Diagnostics.Metrics.Counter<long> Moves = Microsoft.Extensions.Hosting.KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.orders.moved", description: "Orders moved by a person or a deadline (accepted, rejected_by_vendor, dispatched, cancelled...), by target status");

    public static async Task MoveAsync(OrderChange change, OrderStatus to, string actor, string? reason, CancellationToken cancellationToken)
    {
        var (db, order, now) = change;
        var holdsStock = Reservations.HoldsStock(order.Status);
        var holdsCredit = Reservations.HoldsCredit(order.Status);
        var vendorId = order.VendorId;
        db.OrderStatusHistory.Add(order.TransitionTo(to, actor, reason, now));
        Moves.Add(1, new KeyValuePair<string, object?>("status", to.ToWire()));

        switch (to)
        {
            case OrderStatus.RejectedByVendor:
                await Reservations.ReleaseStockAsync(db, order, cancellationToken);
                await CreditMoves.ReleaseAsync(db, order, actor, "rejected by its vendor", now, cancellationToken);
                order.ExcludedVendorIds = [.. order.ExcludedVendorIds, vendorId!.Value];
                order.AcceptanceDeadline = null;
                Outbox.ForOrder(db, Streams.Orders, order, "reroute", now);
                break;
            case OrderStatus.Cancelled or OrderStatus.Failed when holdsCredit:
                if (holdsStock) await Reservations.ReleaseStockAsync(db, order, cancellationToken);
                await CreditMoves.ReleaseAsync(db, order, actor, to.ToWire(), now, cancellationToken);
                order.AcceptanceDeadline = null;
                if (vendorId is { } vendor)
                    Outbox.Notify(db, order, RecipientKind.Vendor, vendor, $"order_{to.ToWire()}", $"Order {order.OrderNumber} was {to.ToWire()}: {reason ?? "no reason given"}.", now);
                break;
            case OrderStatus.Accepted:
                order.AcceptanceDeadline = null;
                Outbox.Notify(db, order, RecipientKind.Retailer, order.RetailerId, "order_accepted", $"Your order {order.OrderNumber} was accepted by the vendor.", now);
                break;
            case OrderStatus.Dispatched:
                await Reservations.ConsumeStockAsync(db, order, cancellationToken);
                Outbox.Notify(db, order, RecipientKind.Retailer, order.RetailerId, "order_dispatched", $"Your order {order.OrderNumber} is on its way.", now);
                break;
            case OrderStatus.Delivered:
                await CreditMoves.ChargeAsync(db, order, actor, now, cancellationToken);
                await Invoicing.Invoices.IssueAsync(change, cancellationToken);
                break;
        }
    }

    /// <summary>Ends the order as failed with a code and a reason the retailer can act on, and tells the retailer.</summary>
    public static async Task FailAsync(OrderChange change, string code, string reason, string actor, CancellationToken cancellationToken)
    {
        await MoveAsync(change, OrderStatus.Failed, actor, reason, cancellationToken);
        var order = change.Order;
        order.FailureCode = code;
        order.FailureReason = reason;
        Outbox.Notify(change.Db, order, RecipientKind.Retailer, order.RetailerId, "order_failed", $"Your order {order.OrderNumber} could not be completed: {reason}", change.Now);
    }
}
