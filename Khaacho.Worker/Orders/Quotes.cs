using Khaacho.Core.Data;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Orders;

/// <summary>What an order would cost and where it would go, right now: the vendor routing would choose, its prices, VAT, total.</summary>
public sealed record Quote(Guid VendorId, string VendorName, PricedOrder Priced);

/// <summary>
/// Prices lines the way confirmation will, without reserving anything: the same candidates, the same ranking, the
/// same rounding. Stock can move between the quote and the order; the quoted vendor is then the order's preference.
/// </summary>
public sealed class Quotes(VendorCandidates candidates, IOptions<OrderProcessingOptions> options)
{
    /// <returns>Null when no single vendor can supply every line in the quantities asked.</returns>
    public async Task<Quote?> QuoteAsync(KhaachoDbContext db, Guid retailerId, IReadOnlyList<(Guid ProductId, int Quantity)> lines, CancellationToken cancellationToken)
    {
        var retailer = await db.Retailers.AsNoTracking().SingleAsync(r => r.Id == retailerId, cancellationToken);
        var ranked = VendorRouter.Rank(
            new RouteRequest(lines, retailer.City, retailer.Province, PreferredVendorId: null, Excluded: new HashSet<Guid>()),
            await candidates.ForAsync(db, [.. lines.Select(l => l.ProductId)], cancellationToken),
            options.Value.RoutingWeights);
        if (ranked.Count == 0) return null;
        var vendor = ranked[0].Vendor;
        var name = await db.Vendors.AsNoTracking().Where(v => v.Id == vendor.VendorId).Select(v => v.Name).SingleAsync(cancellationToken);
        return new Quote(vendor.VendorId, name, OrderPricing.Price(lines, vendor.Offers.ToDictionary(o => o.Key, o => o.Value.Price)));
    }
}
