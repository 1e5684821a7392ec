namespace Khaacho.Api.Orders;

/// <summary>Body of <c>PATCH /api/v1/orders/{id}/status</c>: the status to move to, and why.</summary>
public sealed record ChangeOrderStatusRequest(string? Status, string? Reason = null);
