using Khaacho.Core.Orders;

namespace Khaacho.Api.Orders;

public sealed record OrderStatusResponse(
    Guid JobId, Guid OrderId, string OrderNumber, string Status, string OrderStatus, int Progress, string Step,
    OrderResult? Result, OrderError? Error, DateTimeOffset UpdatedAt);

public sealed record OrderResult(string OrderNumber, Guid? VendorId, decimal Subtotal, decimal Vat, decimal Total, string Currency);

public sealed record OrderError(string Code, string Message);

/// <summary>Maps the order's state to the job view a client polls: pending, processing, completed or failed.</summary>
public static class OrderStatusView
{
    public static OrderStatusResponse From(Order order)
    {
        var (status, progress, step) = order.Status switch
        {
            OrderStatus.Received => ("pending", 0, "queued"),
            OrderStatus.Parsing => ("processing", 20, "parsing"),
            OrderStatus.Parsed => ("processing", 40, "validating"),
            // Waiting for a person at Khaacho, not for the retailer: still in progress from the client's point of view.
            OrderStatus.AwaitingReview => ("processing", 50, "awaiting_review"),
            OrderStatus.Validated => ("processing", 60, "pricing"),
            OrderStatus.RejectedByVendor => ("processing", 80, "rerouting"),
            OrderStatus.NeedsClarification => ("failed", 100, "needs_clarification"),
            OrderStatus.Cancelled => ("failed", 100, "cancelled"),
            OrderStatus.Failed => ("failed", 100, "failed"),
            _ => ("completed", 100, order.Status.ToWire()),
        };
        var result = status == "completed"
            ? new OrderResult(order.OrderNumber, order.VendorId, order.Subtotal, order.Vat, order.Total, order.Currency)
            : null;
        var error = status == "failed" ? ErrorOf(order) : null;
        return new OrderStatusResponse(order.Id, order.Id, order.OrderNumber, status, order.Status.ToWire(), progress, step, result, error, order.UpdatedAt);
    }

    private static OrderError ErrorOf(Order order) => order.Status switch
    {
        OrderStatus.NeedsClarification => new("needs_clarification", order.FailureReason ?? "Some of the order text was not understood; please send it again more clearly."),
        OrderStatus.Cancelled => new("cancelled", order.FailureReason ?? "The order was cancelled."),
        _ => new(order.FailureCode ?? "failed", order.FailureReason ?? "The order could not be processed."),
    };
}
