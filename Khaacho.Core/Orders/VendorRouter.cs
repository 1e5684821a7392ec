namespace Khaacho.Core.Orders;

/// <summary>What one vendor offers for one product: price, stock not yet reserved, its minimum order, and days from order to delivery.</summary>
public sealed record VendorOffer(decimal Price, int Available, int MinOrderQuantity, int LeadTimeDays = 0);

public sealed record VendorCandidate(Guid VendorId, string City, string Province, decimal Rating, int OpenOrders, IReadOnlyDictionary<Guid, VendorOffer> Offers);

public sealed record RouteRequest(IReadOnlyList<(Guid ProductId, int Quantity)> Lines, string City, string Province, Guid? PreferredVendorId, IReadOnlySet<Guid> Excluded);

/// <summary>
/// Weights of the vendor score (they sum to 1). Availability: stock headroom after this order; price: the cheapest
/// eligible vendor scores 1; proximity: same city 1, same province 0.5; workload: fewer open orders is better; rating: out of 5.
/// </summary>
public sealed record RoutingWeights(double Availability = 0.25, double Price = 0.30, double Proximity = 0.20, double Workload = 0.10, double Rating = 0.15);

/// <summary>Chooses the vendor for an order: only vendors that can supply every line, best score first.</summary>
public static class VendorRouter
{
    public static IReadOnlyList<(VendorCandidate Vendor, double Score)> Rank(RouteRequest request, IEnumerable<VendorCandidate> candidates, RoutingWeights weights)
    {
        var eligible = candidates.Where(c => !request.Excluded.Contains(c.VendorId) && CanSupply(c, request.Lines)).ToList();
        if (eligible.Count == 0) return [];

        var totals = eligible.ToDictionary(c => c.VendorId, c => request.Lines.Sum(l => c.Offers[l.ProductId].Price * l.Quantity));
        var cheapest = totals.Values.Min();
        var ranked = eligible.Select(c =>
        {
            var headroom = request.Lines.Min(l => (double)c.Offers[l.ProductId].Available / l.Quantity);
            var score =
                weights.Availability * Math.Min(headroom, 5) / 5
                + weights.Price * (double)(totals[c.VendorId] == 0 ? 1 : cheapest / totals[c.VendorId])
                + weights.Proximity * (c.City.Equals(request.City, StringComparison.OrdinalIgnoreCase) ? 1 : c.Province.Equals(request.Province, StringComparison.OrdinalIgnoreCase) ? 0.5 : 0)
                + weights.Workload / (1 + c.OpenOrders / 10.0)
                + weights.Rating * (double)c.Rating / 5;
            return (Vendor: c, Score: Math.Round(score, 6));
        });
        // An explicit choice is honoured when that vendor is eligible.
        return [.. ranked.OrderByDescending(r => r.Vendor.VendorId == request.PreferredVendorId).ThenByDescending(r => r.Score).ThenBy(r => r.Vendor.VendorId)];
    }

    public static bool CanSupply(VendorCandidate vendor, IEnumerable<(Guid ProductId, int Quantity)> lines) =>
        lines.All(l => vendor.Offers.TryGetValue(l.ProductId, out var offer) && offer.Available >= l.Quantity && l.Quantity >= offer.MinOrderQuantity);
}
