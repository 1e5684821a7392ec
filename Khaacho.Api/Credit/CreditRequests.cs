using System.ComponentModel.DataAnnotations;

namespace Khaacho.Api.Credit;

/// <summary>Body of <c>POST /retailers/{id}/payments</c>. Recording the same reference again with the same content is a replay.</summary>
/// <param name="Amount">NPR with at most two decimals (paisa), above 0.</param>
/// <param name="Method">cash, bank_transfer, cheque, esewa, khalti or other.</param>
/// <param name="Reference">The receipt, transfer, cheque or wallet transaction number; unique per retailer.</param>
/// <param name="ReceivedOn">The day the money was received (yyyy-MM-dd), not in the future.</param>
public sealed record RecordPaymentRequest(
    [property: Required] decimal? Amount, [property: Required] string? Method, [property: Required] string? Reference,
    [property: Required] string? ReceivedOn, string? Note = null);

/// <summary>Body of a payment reversal, a hold, an unhold: why (the retailer reads it).</summary>
public sealed record ReasonRequest([property: Required] string? Reason);

/// <summary>Body of <c>PUT /retailers/{id}/credit</c>: the new limit and payment terms, and why.</summary>
public sealed record CreditTermsRequest([property: Required] decimal? CreditLimit, [property: Required] int? PaymentTermsDays, [property: Required] string? Reason);

/// <summary>Body of a credit note (amount &gt; 0 is taken off what the retailer owes) or an adjustment (signed: + owes more, − owes less).</summary>
public sealed record CreditEntryRequest([property: Required] decimal? Amount, [property: Required] string? Reason, string? Reference = null);
