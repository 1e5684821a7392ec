using System.Text.Json;
using System.Text.Json.Serialization;
using Khaacho.Core.Orders;
using Khaacho.Core.Parsing;

namespace Khaacho.Ai;

/// <summary>The structured output asked of every model: catalogue codes and quantities, and what it could not place.</summary>
public sealed record ModelOrder(
    [property: JsonPropertyName("items")] IReadOnlyList<ModelOrderItem> Items,
    [property: JsonPropertyName("unmatched")] IReadOnlyList<string> Unmatched);

public sealed record ModelOrderItem(
    [property: JsonPropertyName("productCode")] string ProductCode,
    [property: JsonPropertyName("quantity")] decimal Quantity,
    [property: JsonPropertyName("sourceText")] string SourceText);

/// <summary>A model's answer that cannot become an order: not JSON of the schema, or products that do not exist.</summary>
public sealed class InvalidModelOutputException(string message) : Exception(message);

public static class ModelOrderReader
{
    /// <summary>A model does not report its confidence; an item it placed counts as this sure.</summary>
    public const double ItemConfidence = 0.9;
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static ModelOrder Read(string? content)
    {
        var json = StripCodeFence(content ?? "");
        try
        {
            var order = JsonSerializer.Deserialize<ModelOrder>(json, Json);
            if (order?.Items is null) throw new InvalidModelOutputException("The answer has no items array.");
            return order with { Unmatched = order.Unmatched ?? [] };
        }
        catch (JsonException ex)
        {
            throw new InvalidModelOutputException($"The answer is not JSON of the order schema: {ex.Message}");
        }
    }

    /// <summary>The items in catalogue terms; throws when a product does not exist or a quantity is not a whole positive count.</summary>
    public static ParsedOrder ToParsedOrder(ModelOrder order, IReadOnlyList<ParserProduct> catalogue, string provider)
    {
        var byCode = catalogue.ToDictionary(p => p.Code, StringComparer.OrdinalIgnoreCase);
        var items = new List<ParsedItem>();
        foreach (var item in order.Items)
        {
            if (!byCode.TryGetValue(item.ProductCode ?? "", out var product))
                throw new InvalidModelOutputException($"The answer names product '{item.ProductCode}', which is not in the catalogue.");
            if (item.Quantity <= 0 || item.Quantity > OrderLimits.MaxQuantity || item.Quantity != decimal.Truncate(item.Quantity))
                throw new InvalidModelOutputException($"The answer orders {item.Quantity} of {product.Code}; quantities are whole counts of the product's unit.");
            items.Add(new ParsedItem(product.Id, product.Code, product.Name, (int)item.Quantity, product.Unit, ItemConfidence, item.SourceText ?? ""));
        }
        var merged = items.GroupBy(i => i.ProductId)
            .Select(g => g.First() with { Quantity = g.Sum(i => i.Quantity), SourceText = string.Join(", ", g.Select(i => i.SourceText)) })
            .ToList();
        if (merged.Find(i => i.Quantity > OrderLimits.MaxQuantity) is { } over)
            throw new InvalidModelOutputException($"The answer orders {over.Quantity} of {over.ProductCode} in all; an order holds at most {OrderLimits.MaxQuantity}.");
        var unmatched = order.Unmatched.Where(u => !string.IsNullOrWhiteSpace(u)).ToList();
        // The share of the order that was placed: anything left unplaced makes the retailer confirm it.
        var confidence = merged.Count == 0 ? 0 : ItemConfidence * merged.Count / (merged.Count + unmatched.Count);
        return new ParsedOrder(merged, unmatched, Math.Round(confidence, 3), provider);
    }

    private static string StripCodeFence(string content)
    {
        var text = content.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal)) return text;
        var firstLine = text.IndexOf('\n');
        var lastFence = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine > 0 && lastFence > firstLine ? text[(firstLine + 1)..lastFence].Trim() : text;
    }
}
