namespace Khaacho.Core.Notifications;

/// <summary>A message to a retailer or a vendor about one of their orders; stored always, also sent when a webhook is configured.</summary>
public sealed class Notification
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public RecipientKind RecipientKind { get; set; }
    public Guid RecipientId { get; set; }
    public Guid OrderId { get; set; }
    /// <summary>What happened: <c>order_confirmed</c>, <c>new_order</c>, <c>needs_clarification</c>…</summary>
    public required string Kind { get; set; }
    public required string Message { get; set; }
    public NotificationStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

public enum RecipientKind
{
    Retailer,
    Vendor,
}

public enum NotificationStatus
{
    /// <summary>Kept for the user to read in the app; no webhook is configured.</summary>
    Stored,
    Sent,
    Failed,
}
