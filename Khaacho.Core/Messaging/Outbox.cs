using System.Diagnostics;
using Khaacho.Core.Data;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;

namespace Khaacho.Core.Messaging;

/// <summary>Adds the outbox rows a state change writes in its own transaction.</summary>
public static class Outbox
{
    public static void ForOrder(KhaachoDbContext db, string stream, Order order, string step, DateTimeOffset now) => db.Outbox.Add(new()
    {
        Stream = stream,
        Payload = new OrderMessage(order.Id, order.CreatedAt, step).ToJson(),
        TraceParent = Activity.Current?.Id,
        OrderId = order.Id,
        CreatedAt = now,
    });

    /// <summary>
    /// Stores the notification itself (pending) with the change that causes it, and queues its delivery: PostgreSQL
    /// knows every notification owed, whatever Redis forgets, and each one is delivered by its own id.
    /// </summary>
    public static void Notify(KhaachoDbContext db, Order order, RecipientKind kind, Guid recipientId, string notificationKind, string text, DateTimeOffset now, ChatContent? content = null) =>
        Send(db, new Notification
        {
            Id = Guid.CreateVersion7(now), OrderId = order.Id, RecipientKind = kind, RecipientId = recipientId, Kind = notificationKind,
            Message = Fit(text), Content = content?.ToJson(), Status = NotificationStatus.Pending, CreatedAt = now, QueuedAt = now,
        }, now);

    /// <summary>A notice to a retailer or vendor about no single order (a payment, a reminder), stored and queued like any.</summary>
    public static void Tell(KhaachoDbContext db, RecipientKind kind, Guid recipientId, string notificationKind, string text, DateTimeOffset now) =>
        Send(db, new Notification
        {
            Id = Guid.CreateVersion7(now), RecipientKind = kind, RecipientId = recipientId, Kind = notificationKind,
            Message = Fit(text), Status = NotificationStatus.Pending, CreatedAt = now, QueuedAt = now,
        }, now);

    /// <summary>A chat reply to <paramref name="phone"/> (stored and queued like any notification).</summary>
    public static void Reply(KhaachoDbContext db, ChatRecipient to, string notificationKind, string text, DateTimeOffset now, ChatContent? content = null, Guid? orderId = null) =>
        Send(db, new Notification
        {
            Id = Guid.CreateVersion7(now), OrderId = orderId, RecipientKind = to.Kind, RecipientId = to.Id, RecipientPhone = to.Phone,
            Kind = notificationKind, Message = Fit(text), Content = content?.ToJson(), Status = NotificationStatus.Pending, CreatedAt = now, QueuedAt = now,
        }, now);

    private static void Send(KhaachoDbContext db, Notification notification, DateTimeOffset now)
    {
        db.Notifications.Add(notification);
        db.Outbox.Add(ForDelivery(notification, now));
    }

    private static string Fit(string text) => text.Length > Notification.MaxMessageLength ? text[..Notification.MaxMessageLength] : text;

    /// <summary>A message from WhatsApp, stored in the inbox, to be handled from the whatsapp stream.</summary>
    public static void ForInbox(KhaachoDbContext db, InboxMessage message, DateTimeOffset now) => db.Outbox.Add(new()
    {
        Stream = Streams.WhatsApp,
        Payload = new InboxNotice(message.Id).ToJson(),
        TraceParent = Activity.Current?.Id,
        CreatedAt = now,
    });

    /// <summary>The delivery message of a stored notification (also used to queue it again).</summary>
    public static OutboxMessage ForDelivery(Notification notification, DateTimeOffset now) => new()
    {
        Stream = Streams.Notifications,
        Payload = new NotificationMessage(notification.Id, notification.OrderId, notification.RecipientKind, notification.RecipientId, notification.Kind, notification.Message).ToJson(),
        TraceParent = Activity.Current?.Id,
        OrderId = notification.OrderId,
        CreatedAt = now,
    };
}
