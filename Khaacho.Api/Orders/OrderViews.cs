using Khaacho.Core.Orders;

namespace Khaacho.Api.Orders;

public sealed record OrderItemView(Guid Id, Guid ProductId, int Quantity, decimal UnitPrice, decimal LineTotal, string? SourceText);

public sealed record OrderHistoryView(string? From, string To, string Actor, string? Reason, DateTimeOffset At);

public sealed record OrderDetail(
    Guid Id, string OrderNumber, string Status, string Source, Guid RetailerId, Guid? VendorId, string? RawText,
    decimal Subtotal, decimal Vat, decimal Total, string Currency, string? Notes, string Priority,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? FailureCode, string? FailureReason,
    IReadOnlyList<OrderItemView> Items, IReadOnlyList<OrderHistoryView> History)
{
    public static OrderDetail From(Order order, IEnumerable<OrderStatusChange> history) => new(
        order.Id, order.OrderNumber, order.Status.ToWire(), order.Source.ToWire(), order.RetailerId, order.VendorId, order.RawText,
        order.Subtotal, order.Vat, order.Total, order.Currency, order.Notes, order.Priority.ToWire(),
        order.CreatedAt, order.UpdatedAt, order.FailureCode, order.FailureReason,
        [.. order.Items.Select(i => new OrderItemView(i.Id, i.ProductId, i.Quantity, i.UnitPrice, i.LineTotal, i.SourceText))],
        [.. history.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new OrderHistoryView(h.FromStatus?.ToWire(), h.ToStatus.ToWire(), h.Actor, h.Reason, h.At))]);
}

public sealed record OrderSummary(Guid Id, string OrderNumber, string Status, string Source, Guid RetailerId, Guid? VendorId, decimal Total, string Currency, DateTimeOffset CreatedAt);

public sealed record OrderPage(IReadOnlyList<OrderSummary> Items, string? NextCursor);
