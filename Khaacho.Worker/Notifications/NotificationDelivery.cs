using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Khaacho.Worker.Streaming;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Notifications;

/// <summary>
/// The notifications stream: delivers one stored notification, by its id, to the configured webhook as a WhatsApp
/// Cloud API text message, then marks it sent with the id the API gave it. A notification already sent (or given up)
/// is not sent again, so redelivered and re-driven messages send nothing twice. A failed send is retried by the stream;
/// after the last attempt the notification is marked failed with the reason.
/// </summary>
public sealed partial class NotificationDelivery(
    IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NotificationDelivery> logger)
    : IStreamHandler
{
    public const string HttpClientName = "notifications";

    public string Stream => Streams.Notifications;

    public async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        var note = message.Body(NotificationMessage.FromJson);

        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("notification.deliver");
        activity?.SetTag("khaacho.order_id", note.OrderId);
        activity?.SetTag("khaacho.notification_id", note.NotificationId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var stored = await db.Notifications.SingleOrDefaultAsync(n => n.Id == note.NotificationId, cancellationToken)
            ?? throw new PermanentStreamFailure($"Notification {note.NotificationId} does not exist.");
        if (options.Value.WebhookUrl is null)
        {
            if (stored.Status != NotificationStatus.Pending) return;
            stored.Status = NotificationStatus.Stored;
            await db.SaveChangesAsync(cancellationToken);
            LogStored(logger, note.OrderId, note.Kind, note.RecipientKind.ToWire());
            return;
        }
        var phone = note.RecipientKind == RecipientKind.Retailer
            ? await db.Retailers.Where(r => r.Id == note.RecipientId).Select(r => r.Phone).SingleAsync(cancellationToken)
            : await db.Vendors.Where(v => v.Id == note.RecipientId).Select(v => v.Phone).SingleAsync(cancellationToken);
        if (!await ClaimAsync(db, stored.Id, cancellationToken)) return; // sent, given up, or another delivery is sending it

        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.WebhookUrl)
        {
            // biz_opaque_callback_data comes back in Meta's status callbacks: the notification a delivery report is about.
            Content = JsonContent.Create(new WhatsAppTextMessage(phone.TrimStart('+'), new WhatsAppText(stored.Message), stored.Id.ToString())),
        };
        if (options.Value.AccessToken is { Length: > 0 } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        string? sent;
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            sent = await ReadMessageIdAsync(response, cancellationToken);
        }
        catch (Exception ex) when (ex is not PermanentStreamFailure)
        {
            // Not sent (or not known to be): owed again, for the stream's next attempt.
            await ReleaseAsync(db, stored.Id);
            throw;
        }

        // Not the request's token: the message is out, so its record must be written even while the worker stops.
        var sentAt = clock.GetUtcNow();
        await db.Notifications.Where(n => n.Id == stored.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Sent).SetProperty(n => n.SentAt, sentAt)
                .SetProperty(n => n.ProviderMessageId, sent), CancellationToken.None);
        LogSent(logger, note.OrderId, note.Kind, note.RecipientKind.ToWire());
    }

    public async Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken)
    {
        var note = message.Body(NotificationMessage.FromJson);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var reason = error.Length > 1000 ? error[..1000] : error;
        await db.Notifications.Where(n => n.Id == note.NotificationId && (n.Status == NotificationStatus.Pending || n.Status == NotificationStatus.Sending))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Failed).SetProperty(n => n.LastError, reason), cancellationToken);
    }

    /// <summary>
    /// Pending becomes sending in one conditional UPDATE, so of two copies of one message only one sends. A claim older
    /// than three send timeouts belonged to a delivery that died mid-send and may be taken again: the one window in
    /// which a message can go out twice, as the Cloud API has no idempotency key.
    /// </summary>
    private async Task<bool> ClaimAsync(KhaachoDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var abandoned = now - options.Value.SendTimeout * 3;
        return await db.Notifications
            .Where(n => n.Id == id && (n.Status == NotificationStatus.Pending || (n.Status == NotificationStatus.Sending && n.QueuedAt < abandoned)))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Sending).SetProperty(n => n.QueuedAt, now), cancellationToken) == 1;
    }

    private static async Task ReleaseAsync(KhaachoDbContext db, Guid id) =>
        await db.Notifications.Where(n => n.Id == id && n.Status == NotificationStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Pending), CancellationToken.None);

    private static async Task<string?> ReadMessageIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<WhatsAppSendResult>(cancellationToken);
            return body?.Messages is [{ Id: { Length: > 0 and <= 128 } id }, ..] ? id : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // sent (the API said 2xx); only its id is unknown
        }
    }

    private sealed record WhatsAppTextMessage(
        [property: JsonPropertyName("to")] string To,
        [property: JsonPropertyName("text")] WhatsAppText Text,
        [property: JsonPropertyName("biz_opaque_callback_data")] string CallbackData)
    {
        [JsonPropertyName("messaging_product")] public string MessagingProduct => "whatsapp";
        [JsonPropertyName("recipient_type")] public string RecipientType => "individual";
        [JsonPropertyName("type")] public string Type => "text";
    }

    private sealed record WhatsAppText([property: JsonPropertyName("body")] string Body);

    private sealed record WhatsAppSendResult([property: JsonPropertyName("messages")] List<WhatsAppSentMessage>? Messages);

    private sealed record WhatsAppSentMessage([property: JsonPropertyName("id")] string? Id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: stored {Kind} notification for a {RecipientKind}")]
    private static partial void LogStored(ILogger logger, Guid orderId, string kind, string recipientKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sent {Kind} notification to a {RecipientKind}")]
    private static partial void LogSent(ILogger logger, Guid orderId, string kind, string recipientKind);
}
