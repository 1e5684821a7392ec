using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.Orders;

/// <summary>What validation found: the order may proceed, must fail (a code and a reason the retailer can act on), or waits for a review.</summary>
public sealed record ValidationVerdict(string? FailureCode, string? FailureReason, RiskResult? Review)
{
    public static readonly ValidationVerdict Pass = new(null, null, null);
    public static ValidationVerdict Fail(string code, string reason) => new(code, reason, null);
}

/// <summary>
/// Step 1 and 2: the retailer is active, the items exist and meet a vendor's minimum; a risk score at or above the
/// threshold holds the order for a person's review (once: an order a reviewer approved is not held again).
/// </summary>
public sealed class OrderValidation(KhaachoDbContext db, OrderProcessingOptions options)
{
    public async Task<ValidationVerdict> CheckAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var retailer = await db.Retailers.AsNoTracking().SingleAsync(r => r.Id == order.RetailerId, cancellationToken);
        if (!retailer.IsActive) return ValidationVerdict.Fail(OrderFailureCodes.RetailerInactive, "Your account is not active; contact Khaacho support.");
        if (retailer.IsBlocked) return ValidationVerdict.Fail(OrderFailureCodes.RetailerBlocked, RetailerHold.Reason(retailer.BlockedReason));
        if (order.Items.Count == 0) return ValidationVerdict.Fail(OrderFailureCodes.Validation, "The order has no items.");

        var productIds = order.Items.Select(i => i.ProductId).ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id) && p.IsActive)
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        var missing = order.Items.FirstOrDefault(i => !products.ContainsKey(i.ProductId));
        if (missing is not null) return ValidationVerdict.Fail(OrderFailureCodes.Validation, "A product in the order is no longer sold.");

        var minimums = await db.VendorProducts.AsNoTracking()
            .Where(vp => productIds.Contains(vp.ProductId) && (order.VendorId == null || vp.VendorId == order.VendorId))
            .Join(db.Vendors.Where(v => v.IsActive), vp => vp.VendorId, v => v.Id, (vp, _) => new { vp.ProductId, vp.MinOrderQuantity })
            .ToListAsync(cancellationToken);
        foreach (var item in order.Items)
        {
            if (!minimums.Any(m => m.ProductId == item.ProductId && m.MinOrderQuantity <= item.Quantity))
                return ValidationVerdict.Fail(OrderFailureCodes.Validation, $"{products[item.ProductId].Name}: {item.Quantity} is below every vendor's minimum order.");
        }

        var recentTotals = await db.Orders.AsNoTracking()
            .Where(o => o.RetailerId == order.RetailerId && o.Id != order.Id && o.ConfirmedAt != null)
            .OrderByDescending(o => o.CreatedAt).Take(20).Select(o => o.Total).ToListAsync(cancellationToken);
        var risk = RiskAssessment.Score(new RiskInput(
            now - retailer.CreatedAt,
            order.Items.Sum(i => products[i.ProductId].Mrp * i.Quantity),
            recentTotals,
            retailer.CreditLimit,
            [.. order.Items.Select(i => i.Quantity)]));
        order.RiskScore = risk.Score;
        // A dead-letter replay of an approved order validates it again; the reviewer's approval still stands.
        return risk.Score >= options.RiskThreshold && order.ReviewedBy is null ? new ValidationVerdict(null, null, risk) : ValidationVerdict.Pass;
    }
}
