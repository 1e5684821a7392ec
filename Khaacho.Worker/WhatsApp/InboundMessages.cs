using System.Diagnostics.Metrics;
using Khaacho.Ai;
using Khaacho.Core.Catalog;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;
using Khaacho.Worker.Streaming;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.WhatsApp;

/// <summary>
/// The whatsapp stream: one inbox row per message, by id. The row and the sender's conversation are locked, the turn
/// runs, its replies are queued and the row is marked handled in one transaction, so a redelivered, re-driven or
/// replayed message answers once. What needs a model (reading an order) happens before that transaction.
/// </summary>
public sealed partial class InboundMessages(
    IServiceScopeFactory scopes, OutboxPublisher publisher, OrderTextParser parser, ParserCatalog catalog, ChatTexts texts,
    RetailerChat retailers, VendorChat vendors, DeliveryReports reports, TimeProvider clock, ILogger<InboundMessages> logger)
    : IStreamHandler
{
    private static readonly Counter<long> Handled =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.handled", description: "Inbound WhatsApp messages handled, by sender (retailer, vendor, contact) and kind");

    public string Stream => Streams.WhatsApp;

    public async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        var notice = message.Body(InboxNotice.FromJson);
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("whatsapp.handle");
        activity?.SetTag("khaacho.whatsapp.inbox_id", notice.InboxId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();

        var stored = await db.WhatsAppInbox.AsNoTracking().SingleOrDefaultAsync(m => m.Id == notice.InboxId, cancellationToken)
            ?? throw new PermanentStreamFailure($"Inbox message {notice.InboxId} does not exist.");
        if (stored.ProcessedAt is not null) return;
        var chat = stored.Kind == InboxKind.Message ? ChatMessage.Read(stored.Payload) : null;
        var sender = await SenderAsync(db, stored.Phone, cancellationToken);
        var reading = await ReadAsync(db, stored.Id, chat, sender, cancellationToken);

        List<OutboxMessage> queued = [];
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var inbox = await db.WhatsAppInbox.FromSql($"SELECT * FROM whatsapp_inbox WHERE id = {notice.InboxId} FOR UPDATE").SingleAsync(ct);
            if (inbox.ProcessedAt is not null) return;
            var now = clock.GetUtcNow();
            if (chat is null) await reports.ApplyAsync(db, inbox, now, ct);
            else await TurnAsync(db, inbox, chat, sender, reading, now, ct);
            inbox.ProcessedAt = now;
            queued = OutboxPublisher.Queued(db);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
        await publisher.TryPublishAllAsync(queued);
        Handled.Add(1, new KeyValuePair<string, object?>("sender", sender.Kind.ToWire()), new KeyValuePair<string, object?>("kind", chat?.Kind.ToString().ToLowerInvariant() ?? "status"));
    }

    /// <summary>A message that can never be handled is marked handled and its sender told to send it again: nothing waits on it forever.</summary>
    public async Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken)
    {
        var notice = message.Body(InboxNotice.FromJson);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var inbox = await db.WhatsAppInbox.SingleOrDefaultAsync(m => m.Id == notice.InboxId && m.ProcessedAt == null, cancellationToken);
        if (inbox is null) return;
        var now = clock.GetUtcNow();
        inbox.ProcessedAt = now;
        inbox.Error = error.Length > 1000 ? error[..1000] : error;
        if (inbox.Kind == InboxKind.Message)
        {
            var sender = await SenderAsync(db, inbox.Phone, cancellationToken);
            var language = await db.Conversations.Where(c => c.Phone == inbox.Phone).Select(c => c.Language).FirstOrDefaultAsync(cancellationToken) ?? ChatLanguage.Nepali;
            Outbox.Reply(db, sender.Recipient, "failed", texts.Get(language, "failed"), now);
        }
        var queued = OutboxPublisher.Queued(db);
        await db.SaveChangesAsync(cancellationToken);
        await publisher.TryPublishAllAsync(queued);
        LogDeadLettered(logger, notice.InboxId, error);
    }

    private async Task TurnAsync(KhaachoDbContext db, InboxMessage inbox, ChatMessage chat, Sender sender, ChatReading reading, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO conversations (phone, language, updated_at) VALUES ({inbox.Phone}, {sender.DefaultLanguage}, {now}) ON CONFLICT (phone) DO NOTHING
            """, cancellationToken);
        var conversation = await db.Conversations.FromSql($"SELECT * FROM conversations WHERE phone = {inbox.Phone} FOR UPDATE").SingleAsync(cancellationToken);
        conversation.LastInboundAt = now;
        conversation.UpdatedAt = now;
        var turn = new ChatTurn(db, conversation, sender.Recipient, texts, now);
        switch (sender)
        {
            case { Retailer: { IsActive: false } } or { Vendor: { IsActive: false } }:
                turn.Reply("inactive", turn.T("inactive"));
                break;
            case { Recipient.Kind: RecipientKind.Contact }:
                turn.Reply("onboarding", $"{texts.Get(ChatLanguage.Nepali, "onboarding")}\n\n{texts.Get(ChatLanguage.English, "onboarding")}");
                break;
            case var _ when chat.Kind == ChatMessageKind.Unsupported:
                turn.Reply("unsupported", turn.T("unsupported", chat.Type));
                break;
            case { Retailer: { } retailer }:
                await retailers.HandleAsync(turn, retailer, sender.User, chat, reading, cancellationToken);
                break;
            case { Vendor: not null }:
                await vendors.HandleAsync(turn, sender.User, chat, cancellationToken);
                break;
        }
    }

    /// <summary>Reads an order's text with the parser chain (offline, then the models) when the message is one.</summary>
    private async Task<ChatReading> ReadAsync(KhaachoDbContext db, string messageId, ChatMessage? chat, Sender sender, CancellationToken cancellationToken)
    {
        var products = (await catalog.ParserAsync(cancellationToken)).Products;
        if (chat is not { Kind: ChatMessageKind.Text, Text: { } answer } || sender.Retailer is not { IsActive: true } retailer
            || ChatIntents.Classify(answer).Intent != ChatIntent.Order)
            return new ChatReading(messageId, null, products);
        // A text order waiting for clarification is answered by the retailer's next order message: both texts are read
        // together, read back, and Confirm continues that order instead of placing another.
        var since = clock.GetUtcNow() - RetailerChat.ClarificationWindow;
        var waiting = await db.Orders.AsNoTracking()
            .Where(o => o.RetailerId == retailer.Id && o.Status == OrderStatus.NeedsClarification && o.CreatedAt > since)
            .OrderByDescending(o => o.CreatedAt).Select(o => new { o.Id, o.RawText }).FirstOrDefaultAsync(cancellationToken);
        var text = waiting is null ? answer : $"{waiting.RawText}\n{answer}";
        // The whole chain: the retailer is in a chat, not holding a request open, and a model may read what the offline parser cannot.
        var parsed = await parser.ParseAsync(text, orderId: null, limit: null, cancellationToken);
        return new ChatReading(messageId, parsed, products, waiting?.Id);
    }

    private static async Task<Sender> SenderAsync(KhaachoDbContext db, string phone, CancellationToken cancellationToken)
    {
        if (await db.Retailers.AsNoTracking().FirstOrDefaultAsync(r => r.Phone == phone, cancellationToken) is { } retailer)
        {
            var userId = await db.Users.Where(u => u.RetailerId == retailer.Id).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
            return new Sender(new ChatRecipient(phone, RecipientKind.Retailer, retailer.Id), new CurrentUser(userId ?? retailer.Id, UserRole.Retailer, retailer.Id, null),
                ChatLanguage.Nepali, retailer, null);
        }
        if (await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Phone == phone, cancellationToken) is { } vendor)
        {
            var userId = await db.Users.Where(u => u.VendorId == vendor.Id).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
            return new Sender(new ChatRecipient(phone, RecipientKind.Vendor, vendor.Id), new CurrentUser(userId ?? vendor.Id, UserRole.Vendor, null, vendor.Id),
                ChatLanguage.English, null, vendor);
        }
        return new Sender(new ChatRecipient(phone, RecipientKind.Contact, Guid.Empty), new CurrentUser(Guid.Empty, UserRole.Retailer, null, null), ChatLanguage.Nepali, null, null);
    }

    /// <summary>Who wrote, by their phone: a retailer, a vendor, or a number the platform does not know (Recipient.Kind Contact).</summary>
    private sealed record Sender(ChatRecipient Recipient, CurrentUser User, string DefaultLanguage, Retailer? Retailer, Vendor? Vendor)
    {
        public RecipientKind Kind => Recipient.Kind;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp message {InboxId} dead-lettered, its sender told to send it again: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, string inboxId, string error);
}
