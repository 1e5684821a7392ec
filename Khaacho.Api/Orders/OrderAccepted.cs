namespace Khaacho.Api.Orders;

/// <summary>The 202 answer to an accepted order; replayed verbatim to a retry with the same Idempotency-Key.</summary>
public sealed record OrderAccepted(string Message, Guid JobId, string Status, string StatusUrl, string EstimatedProcessingTime)
{
    public static OrderAccepted For(Guid orderId, bool isText) => new(
        "Order accepted for processing",
        orderId,
        "pending",
        StatusUrlOf(orderId),
        // ISO 8601 durations: text orders go through parsing first.
        isText ? "PT15S" : "PT5S");

    public static string StatusUrlOf(Guid orderId) => $"/api/v1/orders/{orderId}/status";
}
