using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Core.Orders;

/// <summary>
/// Stock held for an order (credit is <see cref="Credit.CreditMoves"/>). Each change is one conditional UPDATE, so concurrent orders can never oversell
/// stock or overspend credit; callers run them inside the transaction that moves the order.
/// </summary>
public static class Reservations
{
    /// <returns>False when some line no longer has enough unreserved stock (the caller rolls back).</returns>
    public static async Task<bool> ReserveStockAsync(KhaachoDbContext db, Guid vendorId, IEnumerable<(Guid ProductId, int Quantity)> lines, CancellationToken cancellationToken)
    {
        // Always in product order, so two orders for the same products lock rows in the same order (no deadlock).
        foreach (var (productId, quantity) in lines.OrderBy(l => l.ProductId))
        {
            var updated = await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE vendor_products SET reserved = reserved + {quantity}
                WHERE vendor_id = {vendorId} AND product_id = {productId} AND stock - reserved >= {quantity}
                """, cancellationToken);
            if (updated == 0) return false;
        }
        return true;
    }

    /// <summary>Gives back the stock <paramref name="order"/> holds at its vendor.</summary>
    public static async Task ReleaseStockAsync(KhaachoDbContext db, Order order, CancellationToken cancellationToken)
    {
        foreach (var item in order.Items.OrderBy(i => i.ProductId))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE vendor_products SET reserved = reserved - {item.Quantity}
                WHERE vendor_id = {order.VendorId} AND product_id = {item.ProductId}
                """, cancellationToken);
        }
    }

    /// <summary>Goods leave the vendor's shelf at dispatch: reserved stock becomes sold stock.</summary>
    public static async Task ConsumeStockAsync(KhaachoDbContext db, Order order, CancellationToken cancellationToken)
    {
        foreach (var item in order.Items.OrderBy(i => i.ProductId))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE vendor_products SET stock = stock - {item.Quantity}, reserved = reserved - {item.Quantity}
                WHERE vendor_id = {order.VendorId} AND product_id = {item.ProductId}
                """, cancellationToken);
        }
    }

    /// <summary>Whether the order holds stock at its vendor: from confirmation until dispatch.</summary>
    public static bool HoldsStock(OrderStatus status) => status is OrderStatus.Confirmed or OrderStatus.Accepted;

    /// <summary>Whether the order holds the retailer's credit: from confirmation until delivery (then it is owed) or release.</summary>
    public static bool HoldsCredit(OrderStatus status) => status is OrderStatus.Confirmed or OrderStatus.Accepted or OrderStatus.Dispatched;
}
