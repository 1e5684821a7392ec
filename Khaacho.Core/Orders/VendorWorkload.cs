using Khaacho.Core.Caching;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Core.Orders;

/// <summary>
/// Open orders (confirmed or accepted) per vendor, for the routing score. Counting them per order would scan every open
/// order each time; workload is a soft preference, so a count at most <see cref="MaxAge"/> old is good enough.
/// </summary>
public sealed class VendorWorkload
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly IServiceScopeFactory scopes;
    private readonly RefreshingSnapshot<IReadOnlyDictionary<Guid, int>> openOrders;

    public VendorWorkload(IServiceScopeFactory scopes, TimeProvider clock)
    {
        this.scopes = scopes;
        openOrders = new RefreshingSnapshot<IReadOnlyDictionary<Guid, int>>(CountAsync, MaxAge, clock);
    }

    public ValueTask<IReadOnlyDictionary<Guid, int>> OpenOrdersAsync(CancellationToken cancellationToken) => openOrders.GetAsync(cancellationToken);

    private async Task<IReadOnlyDictionary<Guid, int>> CountAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        return await db.Orders.AsNoTracking()
            .Where(o => o.VendorId != null && (o.Status == OrderStatus.Confirmed || o.Status == OrderStatus.Accepted))
            .GroupBy(o => o.VendorId!.Value).Select(g => new { VendorId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.VendorId, g => g.Count, cancellationToken);
    }
}
