using Khaacho.Core.Caching;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Catalog;

/// <summary>
/// Each product's lowest price among active vendors whose unreserved stock reaches their minimum order: what a retailer
/// sees on <c>GET /products</c>. One grouped query, taken again once older than <see cref="MaxAge"/>, so a price can be a few
/// seconds stale; the quote (<c>POST /orders/quote</c>) reads live prices and stock.
/// </summary>
public sealed class BestPrices
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly IServiceScopeFactory scopes;
    private readonly RefreshingSnapshot<IReadOnlyDictionary<Guid, decimal>> snapshot;

    public BestPrices(IServiceScopeFactory scopes, TimeProvider clock)
    {
        this.scopes = scopes;
        snapshot = new RefreshingSnapshot<IReadOnlyDictionary<Guid, decimal>>(LoadAsync, MaxAge, clock);
    }

    public ValueTask<IReadOnlyDictionary<Guid, decimal>> GetAsync(CancellationToken cancellationToken) => snapshot.GetAsync(cancellationToken);

    private async Task<IReadOnlyDictionary<Guid, decimal>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        return await db.VendorProducts.AsNoTracking()
            .Where(vp => vp.Stock - vp.Reserved >= vp.MinOrderQuantity)
            .Join(db.Vendors.Where(v => v.IsActive), vp => vp.VendorId, v => v.Id, (vp, _) => vp)
            .GroupBy(vp => vp.ProductId).Select(g => new { ProductId = g.Key, Price = g.Min(vp => vp.Price) })
            .ToDictionaryAsync(p => p.ProductId, p => p.Price, cancellationToken);
    }
}
