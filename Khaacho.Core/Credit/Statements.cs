using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Core.Credit;

/// <summary>One line of a statement: a change of what the retailer owes, and the balance after it.</summary>
public sealed record StatementLine(DateTimeOffset At, CreditEntryKind Kind, string? Reference, string Description, decimal Debit, decimal Credit, decimal Balance);

/// <summary>A retailer's khata for Nepal days <see cref="From"/> to <see cref="To"/>: opening + debits − credits = closing.</summary>
public sealed record Statement(
    Guid RetailerId, string RetailerCode, string ShopName, DateOnly From, DateOnly To,
    decimal Opening, IReadOnlyList<StatementLine> Lines, decimal TotalDebits, decimal TotalCredits, decimal Closing);

public sealed record RetailerAgeing(Guid RetailerId, string Code, string ShopName, int PaymentTermsDays, AgeingBuckets Buckets, decimal Overdue);

/// <summary>Statements and ageing, read from the ledger's changes of what retailers owe (reservations do not change it).</summary>
public sealed class Statements(KhaachoDbContext db)
{
    /// <summary>The longest period one statement covers.</summary>
    public const int MaxDays = 366;

    /// <returns>Null when there is no such retailer.</returns>
    public async Task<Statement?> ForAsync(Guid retailerId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var retailer = await db.Retailers.AsNoTracking().Where(r => r.Id == retailerId).Select(r => new { r.Code, r.ShopName }).SingleOrDefaultAsync(cancellationToken);
        if (retailer is null) return null;
        var (start, end) = (NepalTime.StartOf(from), NepalTime.StartOf(to.AddDays(1)));
        var owed = db.CreditLedger.AsNoTracking().Where(e => e.RetailerId == retailerId && e.OutstandingChange != 0);
        var opening = await owed.Where(e => e.CreatedAt < start).SumAsync(e => e.OutstandingChange, cancellationToken);
        var entries = await owed.Where(e => e.CreatedAt >= start && e.CreatedAt < end).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .Select(e => new { e.CreatedAt, e.Kind, e.Reference, e.Description, e.OutstandingChange }).ToListAsync(cancellationToken);

        var balance = opening;
        var lines = new List<StatementLine>(entries.Count);
        foreach (var e in entries)
        {
            balance += e.OutstandingChange;
            lines.Add(new StatementLine(NepalTime.ToNepal(e.CreatedAt), e.Kind, e.Reference, e.Description,
                Math.Max(e.OutstandingChange, 0), Math.Max(-e.OutstandingChange, 0), balance));
        }
        return new Statement(retailerId, retailer.Code, retailer.ShopName, from, to, opening, lines,
            lines.Sum(l => l.Debit), lines.Sum(l => l.Credit), balance);
    }

    /// <summary>Ageing of every retailer with owed entries up to <paramref name="asOf"/> (or of one retailer), the longest overdue first.</summary>
    public async Task<List<RetailerAgeing>> AgeingAsync(DateOnly asOf, Guid? retailerId, CancellationToken cancellationToken)
    {
        var end = NepalTime.StartOf(asOf.AddDays(1));
        var changes = await db.CreditLedger.AsNoTracking()
            .Where(e => e.OutstandingChange != 0 && e.CreatedAt < end && (retailerId == null || e.RetailerId == retailerId))
            .Select(e => new { e.RetailerId, e.CreatedAt, e.OutstandingChange }).ToListAsync(cancellationToken);
        var byRetailer = changes.GroupBy(c => c.RetailerId).ToDictionary(g => g.Key, g => g.Select(c => new OwedChange(NepalTime.DayOf(c.CreatedAt), c.OutstandingChange)).ToList());
        var ids = byRetailer.Keys.ToList();
        var retailers = await db.Retailers.AsNoTracking().Where(r => retailerId == null ? ids.Contains(r.Id) : r.Id == retailerId)
            .Select(r => new { r.Id, r.Code, r.ShopName, r.PaymentTermsDays }).ToListAsync(cancellationToken);
        return [.. retailers
            .Select(r =>
            {
                var owed = byRetailer.GetValueOrDefault(r.Id) ?? [];
                return new RetailerAgeing(r.Id, r.Code, r.ShopName, r.PaymentTermsDays, Ageing.Of(owed, asOf), Ageing.Overdue(owed, asOf, r.PaymentTermsDays));
            })
            .OrderByDescending(a => a.Buckets.Over90Days).ThenByDescending(a => a.Buckets.Owed).ThenBy(a => a.Code)];
    }
}
