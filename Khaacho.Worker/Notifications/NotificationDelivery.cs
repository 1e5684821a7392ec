using System.Net.Http.Headers;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;
using Khaacho.Worker.Streaming;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Notifications;

/// <summary>
/// The notifications stream: delivers one stored notification, by its id, through the WhatsApp Cloud API (text,
/// buttons, a list, or a template outside the 24-hour window), then marks it sent with the id the API gave it. A notification already sent (or given up)
/// is not sent again, so redelivered and re-driven messages send nothing twice. A failed send is retried by the stream;
/// after the last attempt the notification is marked failed with the reason.
/// </summary>
public sealed partial class NotificationDelivery(
    IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<NotificationOptions> options, IOptions<WhatsAppOptions> whatsApp, TimeProvider clock,
    ILogger<NotificationDelivery> logger)
    : IStreamHandler
{
    public const string HttpClientName = "notifications";

    private static readonly Counter<long> Templated =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.templates_sent", description: "Notifications sent as a template (outside the 24-hour window), by template");
    private static readonly Counter<long> Refusals =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.send_refused", description: "Sends the Graph API refused, by Meta's error code and what was done");

    public string Stream => Streams.Notifications;

    /// <summary>Creates the give-up series at 0, so the alert on sends refused for good has data before the first.</summary>
    public static void InitializeMetrics() =>
        Refusals.Add(0, new KeyValuePair<string, object?>("code", 0), new KeyValuePair<string, object?>("action", nameof(GraphErrorAction.GiveUp)));

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
        if (whatsApp.Value.MessagesUrl is not { } messagesUrl)
        {
            if (stored.Status != NotificationStatus.Pending) return;
            stored.Status = NotificationStatus.Stored;
            await db.SaveChangesAsync(cancellationToken);
            LogStored(logger, note.OrderId, note.Kind, note.RecipientKind.ToWire());
            return;
        }
        var phone = stored.RecipientPhone ?? (note.RecipientKind == RecipientKind.Retailer
            ? await db.Retailers.Where(r => r.Id == note.RecipientId).Select(r => r.Phone).SingleAsync(cancellationToken)
            : await db.Vendors.Where(v => v.Id == note.RecipientId).Select(v => v.Phone).SingleAsync(cancellationToken));
        if (!await ClaimAsync(db, stored.Id, cancellationToken)) return; // sent, given up, or another delivery is sending it

        var body = await BodyAsync(db, stored, phone, cancellationToken);
        activity?.SetTag("khaacho.whatsapp.type", body["type"]?.GetValue<string>());
        using var request = new HttpRequestMessage(HttpMethod.Post, messagesUrl) { Content = JsonContent.Create(body) };
        if (whatsApp.Value.AccessToken is { Length: > 0 } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        string? sent;
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode) await RefusedAsync(db, stored, response, cancellationToken);
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

    /// <summary>
    /// Free text, buttons or a list inside Meta's 24-hour window (the recipient wrote within it); outside it, or once
    /// Meta refused the free form, the registered template (the message's own, else the generic order update).
    /// </summary>
    private async Task<JsonObject> BodyAsync(KhaachoDbContext db, Notification stored, string phone, CancellationToken cancellationToken)
    {
        var content = ChatContent.FromJson(stored.Content);
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Phone == phone)
            .Select(c => new { c.LastInboundAt, c.Language }).FirstOrDefaultAsync(cancellationToken);
        var inWindow = conversation?.LastInboundAt is { } last && last > clock.GetUtcNow() - whatsApp.Value.ServiceWindow;
        if (inWindow && !stored.TemplateRequired) return GraphMessages.Free(PhoneNumbers.ToWaId(phone), stored.Message, content, stored.Id);

        var template = content?.Template ?? (stored.OrderId is null
            ? new ChatTemplate(TemplateKind.AccountUpdate, [stored.Message])
            : new ChatTemplate(TemplateKind.OrderUpdate, [await OrderNumberAsync(db, stored.OrderId, cancellationToken), stored.Message]));
        var language = conversation?.Language ?? (stored.RecipientKind == RecipientKind.Vendor ? ChatLanguage.English : ChatLanguage.Nepali);
        Templated.Add(1, new KeyValuePair<string, object?>("template", template.Kind.ToString()));
        return GraphMessages.Template(PhoneNumbers.ToWaId(phone), whatsApp.Value.Templates.NameOf(template.Kind), language, template, stored.Id);
    }

    private static async Task<string> OrderNumberAsync(KhaachoDbContext db, Guid? orderId, CancellationToken cancellationToken) =>
        orderId is { } id && OrderIds.TryGetCreatedAt(id, out var createdAt)
            ? await db.Orders.Where(o => o.Id == id && o.CreatedAt == createdAt).Select(o => o.OrderNumber).FirstOrDefaultAsync(cancellationToken) ?? "-"
            : "-";

    /// <summary>A refused send: retried by the stream, sent again as its template, or given up for good (the notification fails with Meta's reason).</summary>
    private async Task RefusedAsync(KhaachoDbContext db, Notification stored, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var error = GraphErrors.Read(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        Refusals.Add(1, new KeyValuePair<string, object?>("code", error.Code), new KeyValuePair<string, object?>("action", error.Action.ToString()));
        var reason = $"{error.Code}: {error.Message}";
        switch (error.Action)
        {
            case GraphErrorAction.SendTemplate when !stored.TemplateRequired:
                await db.Notifications.Where(n => n.Id == stored.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.TemplateRequired, true), CancellationToken.None);
                throw new HttpRequestException($"Outside the 24-hour window ({reason}); sending the template next.");
            case GraphErrorAction.SendTemplate or GraphErrorAction.GiveUp:
                await db.Notifications.Where(n => n.Id == stored.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(n => n.Status, NotificationStatus.Failed).SetProperty(n => n.LastError, reason), CancellationToken.None);
                throw new PermanentStreamFailure($"WhatsApp refused notification {stored.Id} for good: {reason}");
            default:
                throw new HttpRequestException($"WhatsApp refused notification {stored.Id} for now: {reason}", null, response.StatusCode);
        }
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

    private sealed record WhatsAppSendResult([property: JsonPropertyName("messages")] List<WhatsAppSentMessage>? Messages);

    private sealed record WhatsAppSentMessage([property: JsonPropertyName("id")] string? Id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: stored {Kind} notification for a {RecipientKind}")]
    private static partial void LogStored(ILogger logger, Guid? orderId, string kind, string recipientKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sent {Kind} notification to a {RecipientKind}")]
    private static partial void LogSent(ILogger logger, Guid? orderId, string kind, string recipientKind);
}
