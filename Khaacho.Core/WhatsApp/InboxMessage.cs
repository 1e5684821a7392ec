namespace Khaacho.Core.WhatsApp;

/// <summary>
/// One thing Meta told the webhook, stored before the webhook answers 200: a message from a phone, or a delivery
/// report about one we sent. Its id is Meta's own (the message's <c>wamid</c>; a report's wamid and status), so a
/// redelivery inserts nothing and is processed never again.
/// </summary>
public sealed class InboxMessage
{
    public const int MaxPayloadLength = 16_384;

    public required string Id { get; set; }
    public InboxKind Kind { get; set; }
    /// <summary>E.164 of the sender (a message) or of the recipient (a delivery report).</summary>
    public required string Phone { get; set; }
    /// <summary>The message or status object as Meta sent it (one element of the delivery's <c>messages</c> or <c>statuses</c>).</summary>
    public required string Payload { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>When it was last put on the whatsapp stream; the sweeper queues an unhandled one again when this is old.</summary>
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    /// <summary>Why it was given up (dead-lettered), when it was.</summary>
    public string? Error { get; set; }
}

public enum InboxKind
{
    Message,
    Status,
}
