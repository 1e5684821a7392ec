namespace Khaacho.Core.Messaging;

/// <summary>
/// A stream message written in the same transaction as the state change it announces, then published
/// to Redis and deleted; the relay publishes rows the fast path missed, so nothing committed is ever lost.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public required string Stream { get; set; }
    public required string Payload { get; set; }
    /// <summary>W3C traceparent of the request that wrote it, so the consumer continues the same trace.</summary>
    public string? TraceParent { get; set; }
    public Guid? OrderId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
