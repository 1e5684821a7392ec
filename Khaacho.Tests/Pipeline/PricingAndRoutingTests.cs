using Khaacho.Core.Orders;
using Khaacho.Worker.Streaming;

namespace Khaacho.Tests.Pipeline;

public sealed class PricingAndRoutingTests
{
    private static readonly Guid Sugar = Guid.CreateVersion7();
    private static readonly Guid Salt = Guid.CreateVersion7();

    [Fact]
    public void Vat_is_13_percent_of_the_subtotal_rounded_half_away_from_zero()
    {
        var priced = OrderPricing.Price([(Sugar, 3), (Salt, 1)], new Dictionary<Guid, decimal> { [Sugar] = 33.35m, [Salt] = 0.10m });

        Assert.Equal(100.05m + 0.10m, priced.Subtotal);
        Assert.Equal(13.02m, priced.Vat); // 100.15 × 0.13 = 13.0195
        Assert.Equal(113.17m, priced.Total);
        Assert.Equal(100.05m, priced.Lines[0].LineTotal);
    }

    [Theory]
    [InlineData(0.5, 0.07)]   // 0.065 rounds up, away from zero
    [InlineData(1.5, 0.20)]   // 0.195
    [InlineData(1000, 130)]
    public void Vat_rounding_of_midpoints(decimal subtotal, decimal vat) =>
        Assert.Equal(vat, OrderPricing.Price([(Sugar, 1)], new Dictionary<Guid, decimal> { [Sugar] = subtotal }).Vat);

    [Fact]
    public void Only_vendors_that_supply_every_line_are_eligible()
    {
        var request = new RouteRequest([(Sugar, 10), (Salt, 5)], "Pokhara", "Gandaki", null, new HashSet<Guid>());
        var full = Candidate("Pokhara", "Gandaki", 4, (Sugar, 100, 20), (Salt, 10, 50));
        var noSalt = Candidate("Pokhara", "Gandaki", 5, (Sugar, 90, 20));
        var shortOnSugar = Candidate("Pokhara", "Gandaki", 5, (Sugar, 90, 9), (Salt, 9, 50));

        var ranked = VendorRouter.Rank(request, [full, noSalt, shortOnSugar], new RoutingWeights());

        Assert.Equal([full.VendorId], ranked.Select(r => r.Vendor.VendorId));
    }

    [Fact]
    public void Cheaper_and_closer_vendors_score_higher_and_an_eligible_explicit_choice_wins()
    {
        var lines = new List<(Guid, int)> { (Sugar, 10) };
        var nearCheap = Candidate("Pokhara", "Gandaki", 4, (Sugar, 100, 100));
        var farDear = Candidate("Biratnagar", "Koshi", 4, (Sugar, 120, 100));
        var sameProvince = Candidate("Baglung", "Gandaki", 4, (Sugar, 100, 100));

        var ranked = VendorRouter.Rank(new RouteRequest(lines, "Pokhara", "Gandaki", null, new HashSet<Guid>()), [farDear, sameProvince, nearCheap], new RoutingWeights());
        var chosen = VendorRouter.Rank(new RouteRequest(lines, "Pokhara", "Gandaki", farDear.VendorId, new HashSet<Guid>()), [farDear, sameProvince, nearCheap], new RoutingWeights());
        var excluded = VendorRouter.Rank(new RouteRequest(lines, "Pokhara", "Gandaki", null, new HashSet<Guid> { nearCheap.VendorId }), [farDear, sameProvince, nearCheap], new RoutingWeights());

        Assert.Equal([nearCheap.VendorId, sameProvince.VendorId, farDear.VendorId], ranked.Select(r => r.Vendor.VendorId));
        Assert.Equal(farDear.VendorId, chosen[0].Vendor.VendorId);
        Assert.Equal(sameProvince.VendorId, excluded[0].Vendor.VendorId);
    }

    [Fact]
    public void A_quantity_below_the_vendor_minimum_makes_it_ineligible()
    {
        var vendor = new VendorCandidate(Guid.CreateVersion7(), "Pokhara", "Gandaki", 4, 0, new Dictionary<Guid, VendorOffer> { [Sugar] = new(100, 100, 5) });

        Assert.False(VendorRouter.CanSupply(vendor, [(Sugar, 4)]));
        Assert.True(VendorRouter.CanSupply(vendor, [(Sugar, 5)]));
    }

    [Fact]
    public void Risk_rejects_outliers_and_passes_ordinary_orders()
    {
        var ordinary = RiskAssessment.Score(new RiskInput(TimeSpan.FromDays(2), 5_000, [], 100_000, [10, 20]));
        var huge = RiskAssessment.Score(new RiskInput(TimeSpan.FromDays(400), 90_000, [4_000, 5_000, 6_000], 100_000, [5_000]));

        Assert.Equal(10, ordinary.Score);
        Assert.True(huge.Score >= 70, string.Join(", ", huge.Reasons));
    }

    [Fact]
    public void Retry_delays_double_from_the_base_with_bounded_jitter_and_a_cap()
    {
        var random = new Random(42);
        var delays = Enumerable.Range(1, 8)
            .Select(attempt => RetrySchedule.DelayAfter(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), random).TotalSeconds)
            .ToList();

        double[] nominal = [1, 2, 4, 8, 16, 30, 30, 30];
        for (var i = 0; i < delays.Count; i++) Assert.InRange(delays[i], nominal[i] * 0.8, nominal[i] * 1.2);
        Assert.True(delays.Take(5).Zip(delays.Skip(1).Take(4)).All(pair => pair.Second > pair.First), "delays must grow until the cap");
    }

    private static VendorCandidate Candidate(string city, string province, decimal rating, params (Guid Product, decimal Price, int Available)[] offers) =>
        new(Guid.CreateVersion7(), city, province, rating, 0, offers.ToDictionary(o => o.Product, o => new VendorOffer(o.Price, o.Available, 1)));
}
