namespace Khaacho.Core.Credit;

/// <summary>
/// One movement of a retailer's credit, never updated or deleted: the retailer's <c>reserved</c> and
/// <c>outstanding</c> are the sums of <see cref="ReservedChange"/> and <see cref="OutstandingChange"/> over its
/// entries, and <see cref="CreditReconciliation"/> proves it.
/// </summary>
public sealed class CreditLedgerEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RetailerId { get; set; }
    public Guid? OrderId { get; set; }
    public Guid? PaymentId { get; set; }
    public CreditEntryKind Kind { get; set; }
    /// <summary>Signed change of available credit: negative when reserved or owed, positive when released or paid.</summary>
    public decimal Amount { get; set; }
    /// <summary>Change of what open orders hold: + when reserved, − when released or charged.</summary>
    public decimal ReservedChange { get; set; }
    /// <summary>Change of what the retailer owes (the khata balance): + when charged, − when paid or credited.</summary>
    public decimal OutstandingChange { get; set; }
    public decimal AvailableAfter { get; set; }
    public decimal OutstandingAfter { get; set; }
    /// <summary>Who made the change: <c>worker-orders</c>, <c>admin:&lt;user id&gt;</c>, <c>seed</c>.</summary>
    public required string Actor { get; set; }
    /// <summary>What the statement shows: the order number, the payment's method and reference, a reviewer's words.</summary>
    public required string Description { get; set; }
    /// <summary>The order number or the payment reference, for the statement's reference column.</summary>
    public string? Reference { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public const int MaxDescriptionLength = 300;
}

public enum CreditEntryKind
{
    /// <summary>What a retailer already owed when it joined (the seed's outstanding).</summary>
    Opening,
    Reserve,
    Release,
    /// <summary>Delivered: the order's reservation becomes an amount owed.</summary>
    Charge,
    Payment,
    /// <summary>A payment taken back (a bounced cheque): the compensating entry of a <see cref="Payment"/>.</summary>
    PaymentReversal,
    CreditNote,
    Adjustment,
}
