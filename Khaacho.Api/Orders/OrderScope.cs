using Khaacho.Api.Auth;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;

namespace Khaacho.Api.Orders;

internal static class OrderScope
{
    /// <summary>The orders a caller may see: a retailer its own, a vendor those routed to it, an admin all.</summary>
    public static IQueryable<Order> VisibleTo(this IQueryable<Order> orders, CurrentUser user) => user.Role switch
    {
        UserRole.Admin => orders,
        UserRole.Retailer when user.RetailerId is { } retailerId => orders.Where(o => o.RetailerId == retailerId),
        UserRole.Vendor when user.VendorId is { } vendorId => orders.Where(o => o.VendorId == vendorId && o.Status != OrderStatus.Received),
        _ => orders.Where(o => false),
    };

    /// <summary>Restricts to the one partition a UUIDv7 id names, so PostgreSQL prunes every other month.</summary>
    public static IQueryable<Order> WithId(this IQueryable<Order> orders, Guid id, DateTimeOffset createdAt) =>
        orders.Where(o => o.Id == id && o.CreatedAt == createdAt);
}
