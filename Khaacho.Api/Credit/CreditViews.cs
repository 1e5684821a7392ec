using Khaacho.Core.Catalog;
using Khaacho.Core.Credit;
using Khaacho.Core.Orders;

namespace Khaacho.Api.Credit;

/// <summary>A retailer's credit: available = limit − outstanding − reserved.</summary>
public sealed record CreditView(
    Guid RetailerId, string Code, string ShopName, decimal CreditLimit, decimal Outstanding, decimal Reserved, decimal AvailableCredit,
    int PaymentTermsDays, bool Blocked, string? BlockedReason)
{
    public static CreditView From(Retailer r) =>
        new(r.Id, r.Code, r.ShopName, r.CreditLimit, r.Outstanding, r.Reserved, r.AvailableCredit, r.PaymentTermsDays, r.IsBlocked, r.BlockedReason);
}

public sealed record PaymentView(
    Guid Id, Guid RetailerId, decimal Amount, string Method, string Reference, DateOnly ReceivedOn, string? Note, string RecordedBy,
    DateTimeOffset RecordedAt, DateTimeOffset? ReversedAt, string? ReversalReason)
{
    public static PaymentView From(Payment p, CreditLedgerEntry? reversal) =>
        new(p.Id, p.RetailerId, p.Amount, p.Method.ToWire(), p.Reference, p.ReceivedOn, p.Note, p.RecordedBy, p.RecordedAt,
            reversal?.CreatedAt, reversal?.Description);
}

public sealed record CreditChangeView(string Kind, string Before, string After, string Reason, string Actor, DateTimeOffset At);

public sealed record StatementLineView(DateTimeOffset At, string Kind, string? Reference, string Description, decimal Debit, decimal Credit, decimal Balance);

/// <summary>Opening + total debits − total credits = closing; each line's balance is the running balance.</summary>
public sealed record StatementView(
    Guid RetailerId, string RetailerCode, string ShopName, DateOnly From, DateOnly To, decimal Opening,
    IReadOnlyList<StatementLineView> Lines, decimal TotalDebits, decimal TotalCredits, decimal Closing)
{
    public static StatementView Of(Statement s) => new(s.RetailerId, s.RetailerCode, s.ShopName, s.From, s.To, s.Opening,
        [.. s.Lines.Select(l => new StatementLineView(l.At, l.Kind.ToWire(), l.Reference, l.Description, l.Debit, l.Credit, l.Balance))],
        s.TotalDebits, s.TotalCredits, s.Closing);
}

/// <summary>What is owed by age (days since delivery, Nepal days), first in first out; an advance is money paid ahead.</summary>
public sealed record AgeingView(decimal Days0To30, decimal Days31To60, decimal Days61To90, decimal Over90Days, decimal Owed, decimal Advance)
{
    public static AgeingView From(AgeingBuckets b) => new(b.Days0To30, b.Days31To60, b.Days61To90, b.Over90Days, b.Owed, b.Advance);
}

public sealed record RetailerAgeingView(Guid RetailerId, string Code, string ShopName, int PaymentTermsDays, AgeingView Ageing, decimal Overdue)
{
    public static RetailerAgeingView From(RetailerAgeing a) => new(a.RetailerId, a.Code, a.ShopName, a.PaymentTermsDays, AgeingView.From(a.Buckets), a.Overdue);
}

public sealed record AgeingReport(DateOnly AsOf, IReadOnlyList<RetailerAgeingView> Retailers, AgeingView Total, decimal Overdue);

public sealed record ReconciliationReport(DateTimeOffset CheckedAt, IReadOnlyList<CreditMismatch> Mismatches);
