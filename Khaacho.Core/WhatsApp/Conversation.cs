namespace Khaacho.Core.WhatsApp;

/// <summary>
/// The chat with one phone: who it is, which language to answer in, when they last wrote (Meta's 24-hour window), and
/// the order being read back to them, if any. Each inbound message is handled with this row locked, so two messages
/// from one phone are handled one after the other.
/// </summary>
public sealed class Conversation
{
    /// <summary>E.164, e.g. <c>+9779842194159</c>.</summary>
    public required string Phone { get; set; }
    public string Language { get; set; } = ChatLanguage.Nepali;
    public DateTimeOffset? LastInboundAt { get; set; }
    /// <summary>The read-back or question waiting for an answer (JSON of <see cref="ChatDraft"/>), null when none.</summary>
    public string? Draft { get; set; }
    public DateTimeOffset? DraftExpiresAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class ChatLanguage
{
    public const string Nepali = "ne";
    public const string English = "en";

    public static readonly string[] All = [Nepali, English];
}
