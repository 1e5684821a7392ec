using Khaacho.Core.Credit;

namespace Khaacho.Tests.Credit;

public sealed class AgeingTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 1);

    private static OwedChange On(int daysAgo, decimal amount) => new(AsOf.AddDays(-daysAgo), amount);

    [Fact]
    public void Payments_settle_the_oldest_charges_first_and_the_rest_is_bucketed_by_its_age()
    {
        // Hand-computed: 10,000 (100 days ago), 5,000 (70), 8,000 (40), 2,000 (10); paid 12,000 (20 days ago) and 500 today.
        // 12,500 settles the 10,000 and 2,500 of the 5,000: left are 2,500 (70 days), 8,000 (40) and 2,000 (10).
        var changes = new[] { On(100, 10_000), On(70, 5_000), On(40, 8_000), On(20, -12_000), On(10, 2_000), On(0, -500) };
        var buckets = Ageing.Of(changes, AsOf);
        Assert.Equal(new AgeingBuckets(2_000, 8_000, 2_500, 0, 0), buckets);
        Assert.Equal(12_500m, buckets.Owed);
        Assert.Equal(10_500m, Ageing.Overdue(changes, AsOf, termsDays: 30));
        Assert.Equal(2_500m, Ageing.Overdue(changes, AsOf, termsDays: 60));
    }

    [Fact]
    public void The_boundaries_are_30_60_and_90_days_inclusive()
    {
        var buckets = Ageing.Of([On(30, 1), On(31, 10), On(60, 100), On(61, 1_000), On(90, 10_000), On(91, 100_000)], AsOf);
        Assert.Equal(new AgeingBuckets(1, 110, 11_000, 100_000, 0), buckets);
    }

    [Fact]
    public void An_overpayment_is_an_advance_and_nothing_is_owed()
    {
        Assert.Equal(new AgeingBuckets(0, 0, 0, 0, 300), Ageing.Of([On(50, 1_000), On(5, -1_300)], AsOf));
        Assert.Equal(0m, Ageing.Overdue([On(50, 1_000), On(5, -1_300)], AsOf, 30));
    }

    [Fact]
    public void Changes_after_the_day_asked_about_do_not_count()
    {
        Assert.Equal(AgeingBuckets.Zero, Ageing.Of([new OwedChange(AsOf.AddDays(1), 500)], AsOf));
        Assert.Equal(new AgeingBuckets(500, 0, 0, 0, 0), Ageing.Of([On(3, 500), new OwedChange(AsOf.AddDays(1), -500)], AsOf));
    }
}
