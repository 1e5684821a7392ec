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
using Npgsql;

namespace Khaacho.Worker.Notifications;

/// <summary>
/// The notifications stream: stores each notification once (a unique key per order, kind and recipient), then sends it
/// to the configured webhook as a WhatsApp Cloud API text message. A failed send is retried by the stream.
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var stored = await StoreOnceAsync(db, note, cancellationToken);
        if (stored.Status != NotificationStatus.Stored || options.Value.WebhookUrl is null) return;

        var phone = note.RecipientKind == RecipientKind.Retailer
            ? await db.Retailers.Where(r => r.Id == note.RecipientId).Select(r => r.Phone).SingleAsync(cancellationToken)
            : await db.Vendors.Where(v => v.Id == note.RecipientId).Select(v => v.Phone).SingleAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.WebhookUrl)
        {
            Content = JsonContent.Create(new WhatsAppTextMessage(phone.TrimStart('+'), new WhatsAppText(note.Text))),
        };
        if (options.Value.AccessToken is { Length: > 0 } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();

        stored.Status = NotificationStatus.Sent;
        stored.SentAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        LogSent(logger, note.OrderId, note.Kind, note.RecipientKind.ToWire());
    }

    public async Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken)
    {
        var note = message.Body(NotificationMessage.FromJson);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        await db.Notifications.Where(n => n.OrderId == note.OrderId && n.Kind == note.Kind && n.RecipientId == note.RecipientId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Failed).SetProperty(n => n.LastError, error), cancellationToken);
    }

    private async Task<Notification> StoreOnceAsync(KhaachoDbContext db, NotificationMessage note, CancellationToken cancellationToken)
    {
        var existing = await db.Notifications.SingleOrDefaultAsync(n => n.OrderId == note.OrderId && n.Kind == note.Kind && n.RecipientId == note.RecipientId, cancellationToken);
        if (existing is not null) return existing;
        var created = new Notification
        {
            OrderId = note.OrderId, RecipientKind = note.RecipientKind, RecipientId = note.RecipientId, Kind = note.Kind,
            Message = note.Text, Status = NotificationStatus.Stored, CreatedAt = clock.GetUtcNow(),
        };
        db.Notifications.Add(created);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogStored(logger, note.OrderId, note.Kind, note.RecipientKind.ToWire());
            return created;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new InvalidOperationException("A concurrent delivery stored this notification first; retrying.", ex);
        }
    }

    private sealed record WhatsAppTextMessage(
        [property: JsonPropertyName("to")] string To,
        [property: JsonPropertyName("text")] WhatsAppText Text)
    {
        [JsonPropertyName("messaging_product")] public string MessagingProduct => "whatsapp";
        [JsonPropertyName("recipient_type")] public string RecipientType => "individual";
        [JsonPropertyName("type")] public string Type => "text";
    }

    private sealed record WhatsAppText([property: JsonPropertyName("body")] string Body);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: stored {Kind} notification for a {RecipientKind}")]
    private static partial void LogStored(ILogger logger, Guid orderId, string kind, string recipientKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sent {Kind} notification to a {RecipientKind}")]
    private static partial void LogSent(ILogger logger, Guid orderId, string kind, string recipientKind);
}
