using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Core.Orders;

/// <summary>
/// Stock and credit held for an order. Each change is one conditional UPDATE, so concurrent orders can never oversell
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

    /// <returns>False when the retailer's available credit is below <paramref name="amount"/>.</returns>
    public static async Task<bool> ReserveCreditAsync(KhaachoDbContext db, Guid retailerId, Guid orderId, decimal amount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var remaining = await db.Database.SqlQuery<decimal>($"""
            UPDATE retailers SET available_credit = available_credit - {amount}
            WHERE id = {retailerId} AND available_credit >= {amount}
            RETURNING available_credit AS "Value"
            """).ToListAsync(cancellationToken);
        if (remaining.Count == 0) return false;
        db.CreditLedger.Add(new CreditLedgerEntry
        {
            RetailerId = retailerId, OrderId = orderId, Kind = CreditEntryKind.Reserve, Amount = -amount, AvailableAfter = remaining[0], CreatedAt = now,
        });
        return true;
    }

    /// <summary>Gives back what <paramref name="order"/> holds at its vendor and on the retailer's credit.</summary>
    public static async Task ReleaseAsync(KhaachoDbContext db, Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var item in order.Items.OrderBy(i => i.ProductId))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE vendor_products SET reserved = reserved - {item.Quantity}
                WHERE vendor_id = {order.VendorId} AND product_id = {item.ProductId}
                """, cancellationToken);
        }
        var available = (await db.Database.SqlQuery<decimal>($"""
            UPDATE retailers SET available_credit = available_credit + {order.Total}
            WHERE id = {order.RetailerId} RETURNING available_credit AS "Value"
            """).ToListAsync(cancellationToken)).Single();
        db.CreditLedger.Add(new CreditLedgerEntry
        {
            RetailerId = order.RetailerId, OrderId = order.Id, Kind = CreditEntryKind.Release, Amount = order.Total, AvailableAfter = available, CreatedAt = now,
        });
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

    /// <summary>Whether the order currently holds stock and credit: from confirmation until dispatch (stock) or until it ends.</summary>
    public static bool HoldsReservation(OrderStatus status) => status is OrderStatus.Confirmed or OrderStatus.Accepted;
}
