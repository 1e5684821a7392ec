using System.Text.Json.Serialization;
using Khaacho.Api.Catalog;
using Khaacho.Core.Orders;

namespace Khaacho.Api.Orders;

/// <summary>Body of <c>POST /api/v1/orders</c>: exactly one of <see cref="Items"/> and <see cref="Text"/>; every member may be left out.</summary>
public sealed record SubmitOrderRequest(
    Guid? VendorId = null, List<OrderLineRequest>? Items = null, string? Text = null, string? Notes = null, OrderPriority? Priority = null);

/// <summary>
/// One line: a product by id or by code (the other left out), and how many of its units. The defaults make the
/// document say the two are optional; the order keeps the wire order, which the Idempotency-Key's body hash depends on.
/// </summary>
public sealed record OrderLineRequest(
    [property: JsonPropertyOrder(1)] int Quantity, Guid? ProductId = null, string? ProductCode = null);

/// <summary>A request that passed validation, its products resolved against the catalogue.</summary>
public sealed record ValidOrder(Guid? VendorId, IReadOnlyList<(CatalogProduct Product, int Quantity)> Lines, string? Text, string? Notes, OrderPriority Priority)
{
    public OrderSource Source => Text is null ? OrderSource.Items : OrderSource.Text;
}

public static class OrderRequestRules
{
    public const int MaxItems = 200;
    public const int MaxQuantity = OrderLimits.MaxQuantity;
    public const int MaxTextBytes = 4096;
    public const int MaxNotesLength = 1000;

    /// <summary>Checks the request against the rules and the catalogue; the errors are keyed by JSON path for problem+json.</summary>
    public static (ValidOrder? Order, Dictionary<string, string[]> Errors) Validate(SubmitOrderRequest request, CatalogSnapshot catalog)
    {
        var errors = new Dictionary<string, string[]>();
        var hasItems = request.Items is not null;
        var hasText = request.Text is not null;
        if (hasItems == hasText)
            errors["items"] = ["Send exactly one of 'items' (structured lines) or 'text' (a chat order)."];

        var lines = new List<(CatalogProduct, int)>();
        if (request.Items is { } items)
        {
            if (items.Count == 0) errors["items"] = ["At least one item is required."];
            if (items.Count > MaxItems) errors["items"] = [$"At most {MaxItems} items per order."];
            for (var i = 0; i < items.Count && items.Count <= MaxItems; i++)
            {
                var line = items[i];
                var path = $"items[{i}]";
                if (line is null) { errors[path] = ["An item cannot be null."]; continue; }
                if (line.Quantity <= 0) errors[$"{path}.quantity"] = ["Quantity must be at least 1."];
                else if (line.Quantity > MaxQuantity) errors[$"{path}.quantity"] = [$"Quantity must be at most {MaxQuantity}."];

                CatalogProduct? product = null;
                if (line.ProductId.HasValue == (line.ProductCode is not null))
                    errors[$"{path}.productId"] = ["Give exactly one of 'productId' and 'productCode'."];
                else if (line.ProductId is { } productId && !catalog.ProductsById.TryGetValue(productId, out product))
                    errors[$"{path}.productId"] = [$"Unknown product '{productId}'."];
                else if (line.ProductCode is { } code && !catalog.ProductsByCode.TryGetValue(code.Trim(), out product))
                    errors[$"{path}.productCode"] = [$"Unknown product code '{code}'."];
                if (product is not null && line.Quantity is > 0 and <= MaxQuantity) lines.Add((product, line.Quantity));
            }
            if (lines.GroupBy(l => l.Item1.Id).Any(g => g.Count() > 1))
                errors["items"] = ["Each product may appear once; add the quantities together."];
        }

        string? text = null;
        if (request.Text is { } raw)
        {
            text = raw.Trim();
            if (text.Length == 0) errors["text"] = ["The order text is empty."];
            else if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxTextBytes) errors["text"] = [$"The order text is over {MaxTextBytes} bytes."];
        }
        if (request.Notes is { Length: > MaxNotesLength }) errors["notes"] = [$"Notes are at most {MaxNotesLength} characters."];
        if (request.VendorId is { } vendorId && !catalog.VendorsById.ContainsKey(vendorId))
            errors["vendorId"] = [$"Unknown or inactive vendor '{vendorId}'."];

        return errors.Count > 0
            ? (null, errors)
            : (new ValidOrder(request.VendorId, lines, text, request.Notes?.Trim(), request.Priority ?? OrderPriority.Normal), errors);
    }
}
