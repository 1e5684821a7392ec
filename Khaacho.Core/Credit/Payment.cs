namespace Khaacho.Core.Credit;

/// <summary>
/// Money received from a retailer, as recorded by staff. Written once; a reversal is a
/// <see cref="CreditEntryKind.PaymentReversal"/> ledger entry pointing at it, never an edit.
/// </summary>
public sealed class Payment
{
    public const int MaxReferenceLength = 64;
    public const int MaxNoteLength = 300;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RetailerId { get; set; }
    public decimal Amount { get; set; }
    public PaymentMethod Method { get; set; }
    /// <summary>The receipt, transfer, cheque or wallet transaction number; unique per retailer, so recording is idempotent.</summary>
    public required string Reference { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public string? Note { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

public enum PaymentMethod
{
    Cash,
    BankTransfer,
    Cheque,
    Esewa,
    Khalti,
    Other,
}
