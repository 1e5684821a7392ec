using Khaacho.Core.Data;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.Orders;

/// <summary>
/// Open orders (confirmed or accepted) per vendor, for the routing score. Counting them per order would scan every open
/// order each time; workload is a soft preference, so a count at most <see cref="MaxAge"/> old is good enough.
/// </summary>
public sealed class VendorWorkload(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private volatile Snapshot? current;

    private sealed record Snapshot(IReadOnlyDictionary<Guid, int> OpenOrders, DateTimeOffset TakenAt);

    public async ValueTask<IReadOnlyDictionary<Guid, int>> OpenOrdersAsync(CancellationToken cancellationToken)
    {
        if (current is { } fresh && clock.GetUtcNow() - fresh.TakenAt < MaxAge) return fresh.OpenOrders;
        await refreshing.WaitAsync(cancellationToken);
        try
        {
            if (current is { } taken && clock.GetUtcNow() - taken.TakenAt < MaxAge) return taken.OpenOrders;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
            var counts = await db.Orders.AsNoTracking()
                .Where(o => o.VendorId != null && (o.Status == OrderStatus.Confirmed || o.Status == OrderStatus.Accepted))
                .GroupBy(o => o.VendorId!.Value).Select(g => new { VendorId = g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.VendorId, g => g.Count, cancellationToken);
            current = new Snapshot(counts, clock.GetUtcNow());
            return counts;
        }
        finally
        {
            refreshing.Release();
        }
    }
}
