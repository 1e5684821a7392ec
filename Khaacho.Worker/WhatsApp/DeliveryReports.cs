using System.Text.Json;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.WhatsApp;

/// <summary>
/// Meta's <c>statuses</c> callbacks: sent, delivered, read, failed (with error codes), recorded on the notification
/// they are about (by <c>biz_opaque_callback_data</c>, our notification id, else by Meta's message id). Reports can
/// arrive out of order; a later state is never overwritten by an earlier one. A message refused for being outside the
/// 24-hour window (131047) is queued again as its template; an undeliverable one (131026) is given up.
/// </summary>
public sealed partial class DeliveryReports(ILogger<DeliveryReports> logger)
{
    public const int ReEngagementRequired = 131047;
    public const int Undeliverable = 131026;

    private static readonly string[] Order = ["sent", "delivered", "read"];

    public async Task ApplyAsync(KhaachoDbContext db, InboxMessage report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(report.Payload);
        var status = document.RootElement;
        var state = status.GetProperty("status").GetString()!;
        var messageId = status.GetProperty("id").GetString()!;
        // Locked: two reports about one message (read, then a late delivered) are handled at once by different consumers,
        // and the second must see what the first wrote.
        var notification = status.TryGetProperty("biz_opaque_callback_data", out var data) && Guid.TryParse(data.GetString(), out var notificationId)
            ? await db.Notifications.FromSql($"SELECT * FROM notifications WHERE id = {notificationId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken)
            : await db.Notifications.FromSql($"SELECT * FROM notifications WHERE provider_message_id = {messageId} LIMIT 1 FOR UPDATE").FirstOrDefaultAsync(cancellationToken);
        if (notification is null)
        {
            LogUnknown(logger, state);
            return;
        }
        if (state == "failed")
        {
            var (code, title) = FirstError(status);
            notification.ProviderStatus = state;
            notification.ProviderStatusAt = now;
            notification.LastError = $"{code}: {title}";
            if (code == ReEngagementRequired && !notification.TemplateRequired)
            {
                // Outside the window Meta takes only templates: the same notification again, as its template.
                notification.TemplateRequired = true;
                notification.Status = NotificationStatus.Pending;
                notification.QueuedAt = now;
                db.Outbox.Add(Outbox.ForDelivery(notification, now));
            }
            else notification.Status = NotificationStatus.Failed;
            LogFailed(logger, notification.OrderId, notification.Id, code);
            return;
        }
        if (Array.IndexOf(Order, state) is var rank and >= 0 && rank > Array.IndexOf(Order, notification.ProviderStatus ?? ""))
        {
            notification.ProviderStatus = state;
            notification.ProviderStatusAt = now;
        }
    }

    private static (int Code, string Title) FirstError(JsonElement status) =>
        status.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
            && errors[0].TryGetProperty("code", out var code) && code.TryGetInt32(out var value)
            ? (value, errors[0].TryGetProperty("title", out var title) ? title.GetString() ?? "" : "")
            : (0, "no error given");

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery report '{State}' for a message we have no record of")]
    private static partial void LogUnknown(ILogger logger, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: notification {NotificationId} failed at WhatsApp with code {Code}")]
    private static partial void LogFailed(ILogger logger, Guid? orderId, Guid notificationId, int code);
}
