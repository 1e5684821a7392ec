namespace Khaacho.Core.Credit;

/// <summary>What a retailer owes by how long it has been owed: 0–30, 31–60, 61–90 and over 90 days.</summary>
public sealed record AgeingBuckets(decimal Days0To30, decimal Days31To60, decimal Days61To90, decimal Over90Days, decimal Advance)
{
    public static readonly AgeingBuckets Zero = new(0, 0, 0, 0, 0);

    /// <summary>What is owed (the sum of the buckets); an advance is owed to the retailer, not by it.</summary>
    public decimal Owed => Days0To30 + Days31To60 + Days61To90 + Over90Days;

    public AgeingBuckets Add(AgeingBuckets other) => new(
        Days0To30 + other.Days0To30, Days31To60 + other.Days31To60, Days61To90 + other.Days61To90, Over90Days + other.Over90Days, Advance + other.Advance);
}

/// <summary>One change of what a retailer owes, on the Nepal day it happened: + a charge, − a payment or credit.</summary>
public sealed record OwedChange(DateOnly Day, decimal Amount);

/// <summary>
/// Ages what a retailer owes, first in first out: a payment settles the oldest charges, so what is still owed is the
/// newest charges that add up to the balance. Works from the ledger's changes alone, as of any day.
/// </summary>
public static class Ageing
{
    public static AgeingBuckets Of(IEnumerable<OwedChange> changes, DateOnly asOf)
    {
        decimal[] buckets = [0, 0, 0, 0];
        var (balance, unpaid) = Unpaid(changes, asOf);
        foreach (var (day, amount) in unpaid)
        {
            var age = asOf.DayNumber - day.DayNumber;
            buckets[age <= 30 ? 0 : age <= 60 ? 1 : age <= 90 ? 2 : 3] += amount;
        }
        return new AgeingBuckets(buckets[0], buckets[1], buckets[2], buckets[3], balance < 0 ? -balance : 0);
    }

    /// <summary>What is still owed of charges older than <paramref name="termsDays"/> days on <paramref name="asOf"/>.</summary>
    public static decimal Overdue(IEnumerable<OwedChange> changes, DateOnly asOf, int termsDays) =>
        Unpaid(changes, asOf).Unpaid.Where(u => asOf.DayNumber - u.Day.DayNumber > termsDays).Sum(u => u.Amount);

    /// <summary>The balance on <paramref name="asOf"/> and the charges (newest first) it is made of.</summary>
    private static (decimal Balance, List<OwedChange> Unpaid) Unpaid(IEnumerable<OwedChange> changes, DateOnly asOf)
    {
        var upToDay = changes.Where(c => c.Day <= asOf).ToList();
        var balance = upToDay.Sum(c => c.Amount);
        var unpaid = new List<OwedChange>();
        var left = balance;
        foreach (var charge in upToDay.Where(c => c.Amount > 0).OrderByDescending(c => c.Day))
        {
            if (left <= 0) break;
            var part = Math.Min(charge.Amount, left);
            unpaid.Add(charge with { Amount = part });
            left -= part;
        }
        return (balance, unpaid);
    }
}
