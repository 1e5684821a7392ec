namespace Khaacho.Core.Messaging;

/// <summary>The Redis streams, one per worker type; each has a consumer group of the same name.</summary>
public static class Streams
{
    public const string Orders = "orders";
    public const string Ai = "ai";
    public const string Notifications = "notifications";
    /// <summary>What WhatsApp told the webhook (messages and delivery reports), by inbox id.</summary>
    public const string WhatsApp = "whatsapp";

    public static readonly string[] All = [Orders, Ai, Notifications, WhatsApp];

    /// <summary>Each stream's consumer group has the stream's name.</summary>
    public static string Group(string stream) => stream;
    /// <summary>Sorted set of messages waiting for their next attempt, scored by due time (Unix ms).</summary>
    public static string RetrySet(string stream) => $"{stream}:retry";
    public static string DeadLetters(string stream) => $"{stream}:dlq";
}

/// <summary>Fields of a dead-letter entry: the original message, and why and when it gave up.</summary>
public static class DeadLetterFields
{
    public const string Stream = "stream";
    public const string OriginalId = "original_id";
    public const string Payload = "payload";
    public const string TraceParent = "traceparent";
    public const string Attempts = "attempts";
    public const string Error = "error";
    public const string FirstSeenAt = "first_seen";
    public const string DeadLetteredAt = "dead_lettered_at";
}
