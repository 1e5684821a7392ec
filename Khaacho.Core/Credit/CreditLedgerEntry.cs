namespace Khaacho.Core.Credit;

/// <summary>One movement of a retailer's credit; the ledger explains every change of available credit.</summary>
public sealed class CreditLedgerEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RetailerId { get; set; }
    public Guid? OrderId { get; set; }
    public CreditEntryKind Kind { get; set; }
    /// <summary>Signed change of available credit: negative when reserved, positive when released or paid.</summary>
    public decimal Amount { get; set; }
    public decimal AvailableAfter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum CreditEntryKind
{
    Reserve,
    Release,
    Payment,
}
