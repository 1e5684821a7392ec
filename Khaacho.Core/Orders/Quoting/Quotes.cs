using System.Diagnostics.Metrics;
using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Khaacho.Core.Orders.Quoting;

/// <summary>The vendor routing would choose for the lines it can supply, its prices, and when it would deliver.</summary>
/// <param name="ExpectedDelivery">Today in Nepal plus the vendor's longest lead time over the quoted lines.</param>
public sealed record Quote(Guid VendorId, string VendorName, PricedOrder Priced, DateOnly ExpectedDelivery);

/// <param name="Quote">Null when no vendor can supply any of the lines.</param>
/// <param name="NoSingleVendor">Lines left out: no vendor that supplies the quoted lines also supplies these in the quantity asked.</param>
public sealed record QuoteResult(Quote? Quote, IReadOnlyList<(Guid ProductId, int Quantity)> NoSingleVendor, decimal AvailableCredit)
{
    /// <summary>Every line asked for is priced, by one vendor: what confirming the order now would charge.</summary>
    public bool Complete => Quote is not null && NoSingleVendor.Count == 0;

    public string Outcome => Quote is null ? "no_vendor" : Complete ? "complete" : "partial";
}

/// <summary>
/// Prices lines the way confirmation will, without reserving anything: the same candidates, the same ranking, the
/// same rounding. Stock can move between the quote and the order; the quoted vendor is then the order's preference.
/// Used by the api (<c>POST /orders/quote</c>) and the WhatsApp read-back alike.
/// </summary>
public sealed partial class Quotes(VendorCandidates candidates, IOptions<RoutingOptions> options, TimeProvider clock, ILogger<Quotes> logger)
{
    public static readonly IReadOnlyList<string> Outcomes = ["complete", "partial", "no_vendor"];
    private static readonly Counter<long> Quoted = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.quotes", description: "Quotes answered, by outcome");

    public static void InitializeMetrics()
    {
        foreach (var outcome in Outcomes) Quoted.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <param name="preferredVendorId">The retailer's choice, honoured when that vendor can supply, as confirmation honours it.</param>
    public async Task<QuoteResult> QuoteAsync(
        KhaachoDbContext db, Guid retailerId, IReadOnlyList<(Guid ProductId, int Quantity)> lines, Guid? preferredVendorId, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("order.quote");
        activity?.SetTag("khaacho.retailer_id", retailerId);
        activity?.SetTag("khaacho.quote.lines", lines.Count);
        var retailer = await db.Retailers.AsNoTracking().Where(r => r.Id == retailerId)
            .Select(r => new { r.City, r.Province, r.AvailableCredit }).SingleAsync(cancellationToken);
        var request = new RouteRequest(lines, retailer.City, retailer.Province, preferredVendorId, Excluded: new HashSet<Guid>());
        var chosen = lines.Count == 0 ? null : Choose(request, await candidates.ForAsync(db, [.. lines.Select(l => l.ProductId).Distinct()], cancellationToken), options.Value.RoutingWeights);

        QuoteResult result;
        if (chosen is not { } best)
            result = new QuoteResult(null, lines, retailer.AvailableCredit);
        else
        {
            var name = await db.Vendors.AsNoTracking().Where(v => v.Id == best.Vendor.VendorId).Select(v => v.Name).SingleAsync(cancellationToken);
            var priced = OrderPricing.Price(best.Lines, best.Vendor.Offers.ToDictionary(o => o.Key, o => o.Value.Price));
            var delivery = NepalTime.DayOf(clock.GetUtcNow()).AddDays(best.Lines.Max(l => best.Vendor.Offers[l.ProductId].LeadTimeDays));
            result = new QuoteResult(new Quote(best.Vendor.VendorId, name, priced, delivery), [.. lines.Where(l => !best.Lines.Contains(l))], retailer.AvailableCredit);
        }
        activity?.SetTag("khaacho.quote.outcome", result.Outcome);
        activity?.SetTag("khaacho.vendor_id", result.Quote?.VendorId);
        Quoted.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome));
        LogQuoted(logger, retailerId, result.Outcome, lines.Count, result.NoSingleVendor.Count, result.Quote?.VendorId, result.Quote?.Priced.Total);
        return result;
    }

    /// <summary>
    /// The vendor routing ranks first when one can supply every line. Otherwise the vendor that supplies the most lines
    /// (the best ranked among those), and the rest are left out: splitting an order between vendors is not quoted.
    /// </summary>
    public static (VendorCandidate Vendor, IReadOnlyList<(Guid ProductId, int Quantity)> Lines)? Choose(
        RouteRequest request, IReadOnlyList<VendorCandidate> candidates, RoutingWeights weights)
    {
        if (VendorRouter.Rank(request, candidates, weights) is [var first, ..]) return (first.Vendor, request.Lines);
        var covers = candidates.Where(c => !request.Excluded.Contains(c.VendorId))
            .Select(c => request.Lines.Where(l => VendorRouter.CanSupply(c, [l])).ToList())
            .Where(supplied => supplied.Count > 0).ToList();
        if (covers.Count == 0) return null;
        var most = covers.Max(c => c.Count);
        return covers.Where(c => c.Count == most).DistinctBy(c => string.Join(',', c.Select(l => l.ProductId)))
            .Select(subset => (Lines: (IReadOnlyList<(Guid, int)>)subset, Best: VendorRouter.Rank(request with { Lines = subset }, candidates, weights)[0]))
            .OrderByDescending(s => s.Best.Vendor.VendorId == request.PreferredVendorId).ThenByDescending(s => s.Best.Score).ThenBy(s => s.Best.Vendor.VendorId)
            .Select(s => ((VendorCandidate, IReadOnlyList<(Guid, int)>)?)(s.Best.Vendor, s.Lines)).First();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Quote for retailer {RetailerId}: {Outcome}, {LineCount} lines asked, {LeftOut} left out, vendor {VendorId}, total {Total}")]
    private static partial void LogQuoted(ILogger logger, Guid retailerId, string outcome, int lineCount, int leftOut, Guid? vendorId, decimal? total);
}
