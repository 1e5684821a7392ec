namespace Khaacho.Core.Messaging;

/// <summary>The Redis streams, one per worker type; each has a consumer group of the same name.</summary>
public static class Streams
{
    public const string Orders = "orders";
    public const string Ai = "ai";
    public const string Notifications = "notifications";

    /// <summary>Approximate cap on each stream's length (XADD MAXLEN ~), so Redis memory stays bounded.</summary>
    public const int MaxLength = 100_000;
}
