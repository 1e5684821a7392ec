namespace Khaacho.Core.Notifications;

/// <summary>A message to a retailer or a vendor about one of their orders; stored always, also sent when a webhook is configured.</summary>
public sealed class Notification
{
    public const int MaxMessageLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public RecipientKind RecipientKind { get; set; }
    public Guid RecipientId { get; set; }
    public Guid OrderId { get; set; }
    /// <summary>What happened: <c>order_confirmed</c>, <c>new_order</c>, <c>needs_clarification</c>…</summary>
    public required string Kind { get; set; }
    public required string Message { get; set; }
    public NotificationStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When it was last put on the notifications stream; the sweeper queues a pending one again when this is old.</summary>
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>The id the WhatsApp Cloud API gave the sent message (<c>wamid...</c>).</summary>
    public string? ProviderMessageId { get; set; }
    public string? LastError { get; set; }
}

public enum RecipientKind
{
    Retailer,
    Vendor,
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
