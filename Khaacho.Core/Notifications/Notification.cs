namespace Khaacho.Core.Notifications;

/// <summary>
/// A message to a retailer, a vendor or an unknown phone: a notice about an order, or a chat reply. Stored always, sent
/// when a WhatsApp number is configured; each one is sent once, by its own id.
/// </summary>
public sealed class Notification
{
    public const int MaxMessageLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public RecipientKind RecipientKind { get; set; }
    public Guid RecipientId { get; set; }
    /// <summary>The order it is about; null for chat replies about no order (help, a read-back before it is placed).</summary>
    public Guid? OrderId { get; set; }
    /// <summary>Where it goes, for a chat reply (E.164); null: the retailer's or vendor's phone, looked up when sent.</summary>
    public string? RecipientPhone { get; set; }
    /// <summary>What happened: <c>order_confirmed</c>, <c>new_order</c>, <c>needs_clarification</c>…</summary>
    public required string Kind { get; set; }
    public required string Message { get; set; }
    /// <summary>Buttons, list options and the template fallback (JSON of <see cref="WhatsApp.ChatContent"/>), null for plain text.</summary>
    public string? Content { get; set; }
    public NotificationStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When it was last put on the notifications stream; the sweeper queues a pending one again when this is old.</summary>
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>The id the WhatsApp Cloud API gave the sent message (<c>wamid...</c>).</summary>
    public string? ProviderMessageId { get; set; }
    public string? LastError { get; set; }
    /// <summary>The latest delivery report from Meta: <c>sent</c>, <c>delivered</c>, <c>read</c> or <c>failed</c>.</summary>
    public string? ProviderStatus { get; set; }
    public DateTimeOffset? ProviderStatusAt { get; set; }
    /// <summary>Meta refused it as free text (outside the 24-hour window): it is sent as its template.</summary>
    public bool TemplateRequired { get; set; }
}

public enum RecipientKind
{
    Retailer,
    Vendor,
    /// <summary>A phone that is neither (onboarding replies); <see cref="Notification.RecipientId"/> is empty.</summary>
    Contact,
}

public enum NotificationStatus
{
    /// <summary>Owed: written with the change that causes it, not yet delivered.</summary>
    Pending,
    /// <summary>Claimed by one delivery, which is sending it now (two copies of its message never both send).</summary>
    Sending,
    /// <summary>Kept for the user to read in the app; no webhook is configured.</summary>
    Stored,
    Sent,
    Failed,
}
