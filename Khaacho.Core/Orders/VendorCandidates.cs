using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Core.Orders;

/// <summary>The active vendors offering any of the products, with their prices, unreserved stock, lead times and open orders: what routing ranks.</summary>
public sealed class VendorCandidates(VendorWorkload workload)
{
    public async Task<List<VendorCandidate>> ForAsync(KhaachoDbContext db, IReadOnlyCollection<Guid> productIds, CancellationToken cancellationToken)
    {
        var offers = await db.VendorProducts.AsNoTracking()
            .Where(vp => productIds.Contains(vp.ProductId))
            .Join(db.Vendors.Where(v => v.IsActive), vp => vp.VendorId, v => v.Id, (vp, v) => new
            {
                vp.VendorId, v.City, v.Province, v.Rating, vp.ProductId, vp.Price, Available = vp.Stock - vp.Reserved, vp.MinOrderQuantity, vp.LeadTimeDays,
            })
            .ToListAsync(cancellationToken);
        var open = await workload.OpenOrdersAsync(cancellationToken);
        return [.. offers.GroupBy(o => o.VendorId).Select(g => new VendorCandidate(
            g.Key, g.First().City, g.First().Province, g.First().Rating, open.GetValueOrDefault(g.Key),
            g.ToDictionary(o => o.ProductId, o => new VendorOffer(o.Price, o.Available, o.MinOrderQuantity, o.LeadTimeDays))))];
    }
}
