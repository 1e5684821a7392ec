using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.Orders;

/// <summary>
/// Steps 3–7 in one transaction: route to the best eligible vendor, reserve its stock (no oversell: conditional
/// updates), price with VAT, reserve the retailer's credit with a ledger entry, confirm, and notify both sides.
/// </summary>
public sealed class OrderConfirmation(KhaachoDbContext db, OrderProcessingOptions options, RoutingWeights weights, VendorCandidates candidates, CreditWarnings credit)
{
    private const string Actor = "worker-orders";

    public sealed record Outcome(bool Confirmed, string? FailureCode, string? FailureReason);

    public async Task<Outcome> ConfirmAsync(OrderChange change, CancellationToken cancellationToken)
    {
        var (_, order, now) = change;
        var transaction = db.Database.CurrentTransaction!;
        if (order.Status == OrderStatus.RejectedByVendor && order.Reroutes >= options.MaxReroutes)
            return new(false, OrderFailureCodes.NoVendor, $"No vendor accepted the order after {order.Reroutes} reroutes.");

        var lines = order.Items.Select(i => (i.ProductId, i.Quantity)).ToList();
        var retailer = await db.Retailers.AsNoTracking().SingleAsync(r => r.Id == order.RetailerId, cancellationToken);
        var ranked = VendorRouter.Rank(
            new RouteRequest(lines, retailer.City, retailer.Province, order.VendorId, order.ExcludedVendorIds.ToHashSet()),
            await candidates.ForAsync(db, [.. lines.Select(l => l.ProductId)], cancellationToken),
            weights);

        foreach (var (vendor, _) in ranked.Take(3))
        {
            await transaction.CreateSavepointAsync("vendor", cancellationToken);
            if (!await Reservations.ReserveStockAsync(db, vendor.VendorId, lines, cancellationToken))
            {
                // Another order took the stock between ranking and reserving: try the next vendor.
                await transaction.RollbackToSavepointAsync("vendor", cancellationToken);
                continue;
            }
            var priced = OrderPricing.Price(lines, vendor.Offers.ToDictionary(o => o.Key, o => o.Value.Price));
            var balances = await CreditMoves.ReserveAsync(db, order, priced.Total, Actor, now, cancellationToken);
            if (balances is null)
            {
                await transaction.RollbackToSavepointAsync("vendor", cancellationToken);
                return await CreditRefusalAsync(order.RetailerId, priced.Total, cancellationToken);
            }
            Apply(order, vendor.VendorId, retailer.ShopName, priced, now);
            credit.WarnIfNearLimit(db, order, balances, priced.Total, now);
            return new(true, null, null);
        }
        return new(false, OrderFailureCodes.NoVendor, "No single vendor can supply every item in the quantities ordered right now.");
    }

    /// <summary>Why the credit was not there, read after the rollback: a staff hold, or not enough available.</summary>
    private async Task<Outcome> CreditRefusalAsync(Guid retailerId, decimal total, CancellationToken cancellationToken)
    {
        var retailer = await db.Retailers.AsNoTracking().Where(r => r.Id == retailerId)
            .Select(r => new { r.IsBlocked, r.BlockedReason, r.AvailableCredit }).SingleAsync(cancellationToken);
        return retailer.IsBlocked
            ? new(false, OrderFailureCodes.RetailerBlocked, RetailerHold.Reason(retailer.BlockedReason))
            : new(false, OrderFailureCodes.CreditLimit,
                $"The order total {Money.Format(total)} is above your available credit {Money.Format(retailer.AvailableCredit)}. A payment restores it.");
    }

    private void Apply(Order order, Guid vendorId, string retailerName, PricedOrder priced, DateTimeOffset now)
    {
        var rerouted = order.Status == OrderStatus.RejectedByVendor;
        foreach (var item in order.Items)
        {
            var line = priced.Lines.Single(l => l.ProductId == item.ProductId);
            item.UnitPrice = line.UnitPrice;
            item.LineTotal = line.LineTotal;
        }
        order.Subtotal = priced.Subtotal;
        order.Vat = priced.Vat;
        order.Total = priced.Total;
        order.VendorId = vendorId;
        order.AcceptanceDeadline = now + options.AcceptanceDeadline;
        if (rerouted) order.Reroutes++;
        db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.Confirmed, Actor, rerouted ? "rerouted to the next vendor" : null, now));
        Outbox.Notify(db, order, RecipientKind.Retailer, order.RetailerId, rerouted ? "order_rerouted" : "order_confirmed",
            $"Your order {order.OrderNumber} is confirmed: {Money.Format(order.Total)} including VAT.", now);
        Outbox.Notify(db, order, RecipientKind.Vendor, vendorId, "new_order",
            $"New order {order.OrderNumber} from {retailerName}: {order.Items.Count} items, {Money.Format(order.Total)}. Please accept within {options.AcceptanceDeadline.TotalHours:0.#} h.", now,
            ChatActions.NewOrder(order, retailerName));
    }
}
