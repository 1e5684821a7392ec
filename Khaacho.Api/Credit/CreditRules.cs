using System.Globalization;
using Khaacho.Core.Credit;
using Khaacho.Core.Orders;

namespace Khaacho.Api.Credit;

/// <summary>The rules for what staff send about money: amounts in whole paisa within bounds, known methods, real dates, reasons given.</summary>
internal static class CreditRules
{
    public static (PaymentInput? Input, Dictionary<string, string[]> Errors) Payment(RecordPaymentRequest request, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        Amount(errors, "amount", request.Amount, positive: true);
        if (!WireNames.TryParse<PaymentMethod>(request.Method, out var method))
            errors["method"] = [$"One of {string.Join(", ", WireNames.All<PaymentMethod>())}."];
        var reference = request.Reference?.Trim();
        if (string.IsNullOrEmpty(reference) || reference.Length > Core.Credit.Payment.MaxReferenceLength)
            errors["reference"] = [$"1 to {Core.Credit.Payment.MaxReferenceLength} characters: the receipt, transfer, cheque or wallet transaction number."];
        DateOnly receivedOn = default;
        if (!DateOnly.TryParseExact(request.ReceivedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out receivedOn))
            errors["receivedOn"] = ["A date as yyyy-MM-dd."];
        else if (receivedOn > today || receivedOn < today.AddYears(-5))
            errors["receivedOn"] = [$"Between {today.AddYears(-5):yyyy-MM-dd} and today ({today:yyyy-MM-dd}, Nepal time)."];
        if (request.Note is { Length: > Core.Credit.Payment.MaxNoteLength })
            errors["note"] = [$"At most {Core.Credit.Payment.MaxNoteLength} characters."];
        return errors.Count > 0 ? (null, errors) : (new PaymentInput(request.Amount!.Value, method, reference!, receivedOn, request.Note), errors);
    }

    public static Dictionary<string, string[]> Terms(CreditTermsRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        Amount(errors, "creditLimit", request.CreditLimit, positive: false);
        if (request.PaymentTermsDays is not (>= 0 and <= 365)) errors["paymentTermsDays"] = ["0 to 365 days."];
        Reason(errors, request.Reason);
        return errors;
    }

    /// <param name="creditNote">A credit note only takes off; an adjustment goes either way.</param>
    public static Dictionary<string, string[]> Entry(CreditEntryRequest request, bool creditNote)
    {
        var errors = new Dictionary<string, string[]>();
        Amount(errors, "amount", request.Amount is { } a && !creditNote ? Math.Abs(a) : request.Amount, positive: true);
        Reason(errors, request.Reason);
        if (request.Reference is { Length: > Core.Credit.Payment.MaxReferenceLength })
            errors["reference"] = [$"At most {Core.Credit.Payment.MaxReferenceLength} characters."];
        return errors;
    }

    public static Dictionary<string, string[]> Reason(string? reason)
    {
        var errors = new Dictionary<string, string[]>();
        Reason(errors, reason);
        return errors;
    }

    private static void Reason(Dictionary<string, string[]> errors, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > CreditChange.MaxReasonLength)
            errors["reason"] = [$"1 to {CreditChange.MaxReasonLength} characters; the retailer reads it."];
    }

    private static void Amount(Dictionary<string, string[]> errors, string field, decimal? amount, bool positive)
    {
        if (amount is not { } value) errors[field] = ["Required: NPR with at most two decimals."];
        else if (!Money.IsWholePaisa(value)) errors[field] = ["At most two decimals (paisa); amounts are never rounded for you."];
        else if ((positive ? value <= 0 : value < 0) || value > Money.MaxAmount)
            errors[field] = [$"{(positive ? "Above 0" : "0 or more")} and at most {Money.MaxAmount.ToString("0", CultureInfo.InvariantCulture)}."];
    }
}
