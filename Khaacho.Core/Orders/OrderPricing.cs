namespace Khaacho.Core.Orders;

public sealed record PricedLine(Guid ProductId, int Quantity, decimal UnitPrice, decimal LineTotal);

public sealed record PricedOrder(IReadOnlyList<PricedLine> Lines, decimal Subtotal, decimal Vat, decimal Total);

/// <summary>The vendor's prices, 13% VAT on the subtotal, in NPR to the paisa (rounded by <see cref="Credit.Money"/>).</summary>
public static class OrderPricing
{
    public static PricedOrder Price(IEnumerable<(Guid ProductId, int Quantity)> lines, IReadOnlyDictionary<Guid, decimal> unitPrices)
    {
        var priced = lines.Select(l => new PricedLine(l.ProductId, l.Quantity, unitPrices[l.ProductId], Round(unitPrices[l.ProductId] * l.Quantity))).ToList();
        var subtotal = priced.Sum(l => l.LineTotal);
        var vat = Round(subtotal * Order.VatRate);
        return new PricedOrder(priced, subtotal, vat, subtotal + vat);
    }

    public static decimal Round(decimal amount) => Credit.Money.Round(amount);
}
