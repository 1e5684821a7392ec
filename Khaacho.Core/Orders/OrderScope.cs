using System.Linq.Expressions;
using Khaacho.Core.Identity;

namespace Khaacho.Core.Orders;

public static class OrderScope
{
    /// <summary>The orders a caller may see: a retailer its own, a vendor those routed to it, admins and operators all.</summary>
    public static IQueryable<Order> VisibleTo(this IQueryable<Order> orders, CurrentUser user) => user.Role switch
    {
        UserRole.Admin or UserRole.Operator => orders,
        UserRole.Retailer when user.RetailerId is { } retailerId => orders.Where(o => o.RetailerId == retailerId),
        UserRole.Vendor when user.VendorId is { } vendorId => orders.Where(o => o.VendorId == vendorId).Where(RoutedToItsVendor),
        _ => orders.Where(o => false),
    };

    /// <summary>
    /// The order's <see cref="Order.VendorId"/> is the vendor it is routed to, not merely the one the retailer asked for:
    /// the pipeline confirmed it to that vendor (every confirmation sets ConfirmedAt and VendorId together), the vendor
    /// has not rejected it since (a rejection stamps RejectedAt; a reroute confirms again, later), and the order is in a
    /// state from confirmation on. Before routing, VendorId holds the retailer's request and the vendor sees nothing.
    /// </summary>
    private static readonly Expression<Func<Order, bool>> RoutedToItsVendor = o =>
        o.ConfirmedAt != null
        && (o.RejectedAt == null || o.RejectedAt < o.ConfirmedAt)
        && (o.Status == OrderStatus.Confirmed || o.Status == OrderStatus.Accepted || o.Status == OrderStatus.Dispatched
            || o.Status == OrderStatus.Delivered || o.Status == OrderStatus.Completed || o.Status == OrderStatus.Cancelled
            || o.Status == OrderStatus.Failed);

    /// <summary>Restricts to the one partition a UUIDv7 id names, so PostgreSQL prunes every other month.</summary>
    public static IQueryable<Order> WithId(this IQueryable<Order> orders, Guid id, DateTimeOffset createdAt) =>
        orders.Where(o => o.Id == id && o.CreatedAt == createdAt);
}
