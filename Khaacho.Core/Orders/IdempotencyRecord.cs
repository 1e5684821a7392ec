namespace Khaacho.Core.Orders;

/// <summary>The first answer to a request carrying an Idempotency-Key, replayed for retries with the same key and body.</summary>
public sealed class IdempotencyRecord
{
    public Guid UserId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of the request body: the same key with another body is refused.</summary>
    public required string RequestHash { get; set; }
    public Guid OrderId { get; set; }
    public int ResponseStatus { get; set; }
    public required string ResponseBody { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
