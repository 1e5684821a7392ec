using System.Collections.Frozen;
using System.Text.Json.Serialization;
using Khaacho.Core.Caching;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Catalog;

/// <param name="BestPrice">Only for a signed-in retailer (<see cref="BestPrices"/>), and left out when no vendor can sell the product now.</param>
public sealed record CatalogProduct(
    Guid Id, string Code, string Name, string Category, string Unit, string PackSize, decimal Mrp, string[] Aliases,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? BestPrice = null);

public sealed record CatalogVendor(Guid Id, string Code, string Name, string City, string Province, decimal Rating);

public sealed record CatalogSnapshot(
    IReadOnlyList<CatalogProduct> Products,
    FrozenDictionary<Guid, CatalogProduct> ProductsById,
    FrozenDictionary<string, CatalogProduct> ProductsByCode,
    IReadOnlyList<CatalogVendor> Vendors,
    FrozenDictionary<Guid, CatalogVendor> VendorsById);

/// <summary>
/// Active products and vendors, held in memory and reloaded when older than <see cref="MaxAge"/>: intake validates
/// every line against it without a database round trip. The catalogue changes rarely; a new product is orderable
/// within the refresh interval.
/// </summary>
public sealed class CatalogCache
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private readonly IServiceScopeFactory scopes;
    private readonly RefreshingSnapshot<CatalogSnapshot> snapshot;

    public CatalogCache(IServiceScopeFactory scopes, TimeProvider clock)
    {
        this.scopes = scopes;
        snapshot = new RefreshingSnapshot<CatalogSnapshot>(LoadAsync, MaxAge, clock);
    }

    public ValueTask<CatalogSnapshot> GetAsync(CancellationToken cancellationToken) => snapshot.GetAsync(cancellationToken);

    private async Task<CatalogSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var products = await db.Products.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Code)
            .Select(p => new CatalogProduct(p.Id, p.Code, p.Name, p.Category, p.Unit, p.PackSize, p.Mrp, p.Aliases))
            .ToListAsync(cancellationToken);
        var vendors = await db.Vendors.AsNoTracking().Where(v => v.IsActive).OrderBy(v => v.Code)
            .Select(v => new CatalogVendor(v.Id, v.Code, v.Name, v.City, v.Province, v.Rating))
            .ToListAsync(cancellationToken);
        return new CatalogSnapshot(
            products,
            products.ToFrozenDictionary(p => p.Id),
            products.ToFrozenDictionary(p => p.Code, StringComparer.OrdinalIgnoreCase),
            vendors,
            vendors.ToFrozenDictionary(v => v.Id));
    }
}
