using Khaacho.Api.Auth;
using Khaacho.Api.Hosting;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Notifications;

public sealed record NotificationView(Guid Id, Guid? OrderId, string Kind, string Message, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/notifications", ListAsync).WithTags("Notifications").WithName("ListNotifications")
            .WithSummary("The caller's notifications, newest first")
            .RequireAuthorization().RequireRateLimiting(RateLimits.PerUser).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Ok<List<NotificationView>>> ListAsync(HttpContext http, KhaachoDbContext db, Guid? orderId, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(http.User);
        var query = db.Notifications.AsNoTracking();
        query = user.Role switch
        {
            UserRole.Retailer => query.Where(n => n.RecipientKind == RecipientKind.Retailer && n.RecipientId == user.RetailerId),
            UserRole.Vendor => query.Where(n => n.RecipientKind == RecipientKind.Vendor && n.RecipientId == user.VendorId),
            _ => query,
        };
        if (orderId is { } id) query = query.Where(n => n.OrderId == id);
        var notifications = await query.OrderByDescending(n => n.CreatedAt).Take(100)
            .Select(n => new NotificationView(n.Id, n.OrderId, n.Kind, n.Message, n.Status.ToWire(), n.CreatedAt, n.SentAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(notifications);
    }
}
