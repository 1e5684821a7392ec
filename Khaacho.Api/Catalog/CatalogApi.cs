using Khaacho.Api.Auth;
using Khaacho.Api.Hosting;
using Khaacho.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Khaacho.Api.Catalog;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Catalog").RequireAuthorization().RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/products", GetProductsAsync).WithName("ListProducts").WithSummary("Products a retailer can order, by name, alias or code search and category");
        api.MapGet("/vendors", GetVendorsAsync).WithName("ListVendors").WithSummary("Active vendors");
        return app;
    }

    /// <summary>A retailer also sees each product's best current price (<see cref="BestPrices"/>: at most a few seconds stale).</summary>
    private static async Task<Ok<CatalogProduct[]>> GetProductsAsync(
        CatalogCache catalog, BestPrices prices, HttpContext http, string? search, string? category, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        IEnumerable<CatalogProduct> products = snapshot.Products;
        if (!string.IsNullOrWhiteSpace(category))
            products = products.Where(p => p.Category.Equals(category.Trim(), StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            products = products.Where(p => p.Name.Contains(term, StringComparison.OrdinalIgnoreCase)
                || p.Code.Contains(term, StringComparison.OrdinalIgnoreCase)
                || p.Aliases.Any(a => a.Contains(term, StringComparison.OrdinalIgnoreCase)));
        }
        if (CurrentUser.From(http.User).Role != UserRole.Retailer) return TypedResults.Ok(products.ToArray());
        var best = await prices.GetAsync(cancellationToken);
        return TypedResults.Ok(products.Select(p => best.TryGetValue(p.Id, out var price) ? p with { BestPrice = price } : p).ToArray());
    }

    private static async Task<Ok<IReadOnlyList<CatalogVendor>>> GetVendorsAsync(CatalogCache catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.GetAsync(cancellationToken)).Vendors);
}
