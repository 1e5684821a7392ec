using System.Diagnostics;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;

namespace Khaacho.Core.Messaging;

/// <summary>Builds the outbox rows a state change writes in its own transaction.</summary>
public static class Outbox
{
    public static OutboxMessage ForOrder(string stream, Order order, string step, DateTimeOffset now) => new()
    {
        Stream = stream,
        Payload = new OrderMessage(order.Id, order.CreatedAt, step).ToJson(),
        TraceParent = Activity.Current?.Id,
        OrderId = order.Id,
        CreatedAt = now,
    };

    public static OutboxMessage Notify(Order order, RecipientKind kind, Guid recipientId, string notificationKind, string text, DateTimeOffset now) => new()
    {
        Stream = Streams.Notifications,
        Payload = new NotificationMessage(order.Id, kind, recipientId, notificationKind, text).ToJson(),
        TraceParent = Activity.Current?.Id,
        OrderId = order.Id,
        CreatedAt = now,
    };
}
