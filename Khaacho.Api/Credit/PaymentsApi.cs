using Khaacho.Api.Auth;
using Khaacho.Api.Hosting;
using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Credit;

/// <summary>Payments received, their reversal, credit notes and adjustments: every one a ledger entry, none an edit.</summary>
public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var api = CreditApi.RetailerGroup(app);
        api.MapPost("/payments", RecordAsync).WithName("RecordPayment").RequireAuthorization(Policies.Staff)
            .WithSummary("Record money received from a retailer; the same reference and content again is a replay (200), other content 409")
            .WithResponseHeader(StatusCodes.Status201Created, "Location", "The retailer's payments.")
            .WithResponseHeader(StatusCodes.Status200OK, "Idempotent-Replayed", "'true': this payment was already recorded.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/payments", ListAsync).WithName("ListPayments").RequireAuthorization(Policies.RetailerOrStaff)
            .WithSummary("A retailer's payments, newest first, with any reversal (a retailer sees its own)");
        api.MapPost("/payments/{paymentId}/reversal", ReverseAsync).WithName("ReversePayment").RequireAuthorization(Policies.Staff)
            .WithSummary("Take a payment back (a bounced cheque) by a compensating entry; once only")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/credit-notes", CreditNoteAsync).WithName("IssueCreditNote").RequireAuthorization(Policies.Staff)
            .WithSummary("Take an amount off what the retailer owes (short or damaged goods, a dispute settled)").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/adjustments", AdjustAsync).WithName("AdjustKhata").RequireAuthorization(Policies.Admin)
            .WithSummary("Correct what the retailer owes either way (+ owes more, − owes less), with the reason the statement shows")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Created<PaymentView>, Ok<PaymentView>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        string retailerId, RecordPaymentRequest request, HttpContext http, CreditAccounts accounts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!CreditApi.TryGetVisible(retailerId, http, out var id)) return CreditApi.RetailerNotFound(retailerId);
        var (input, errors) = CreditRules.Payment(request, NepalTime.DayOf(clock.GetUtcNow()));
        if (input is null) return TypedResults.ValidationProblem(errors, title: "The payment is not valid");
        var result = await accounts.RecordPaymentAsync(id, input, CurrentUser.From(http.User), cancellationToken);
        var location = $"/api/v1/retailers/{id}/payments";
        switch (result.Outcome)
        {
            case PaymentOutcome.Recorded:
                return TypedResults.Created(location, PaymentView.From(result.Payment!, null));
            case PaymentOutcome.Replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Ok(PaymentView.From(result.Payment!, null));
            case PaymentOutcome.ReferenceTaken:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Payment reference already used",
                    detail: $"Reference '{input.Reference}' is already recorded for this retailer with other content ({Money.Format(result.Payment!.Amount)}, {result.Payment.ReceivedOn:yyyy-MM-dd}).");
            default:
                return CreditApi.RetailerNotFound(retailerId);
        }
    }

    private static async Task<Results<Ok<List<PaymentView>>, NotFound<ProblemDetails>>> ListAsync(
        string retailerId, HttpContext http, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!CreditApi.TryGetVisible(retailerId, http, out var id) || !await db.Retailers.AnyAsync(r => r.Id == id, cancellationToken))
            return CreditApi.RetailerNotFound(retailerId);
        var payments = await db.Payments.AsNoTracking().Where(p => p.RetailerId == id).OrderByDescending(p => p.RecordedAt).Take(500).ToListAsync(cancellationToken);
        var ids = payments.Select(p => p.Id).ToList();
        var reversals = await db.CreditLedger.AsNoTracking()
            .Where(e => e.Kind == CreditEntryKind.PaymentReversal && e.PaymentId != null && ids.Contains(e.PaymentId.Value))
            .ToDictionaryAsync(e => e.PaymentId!.Value, cancellationToken);
        return TypedResults.Ok(payments.Select(p => PaymentView.From(p, reversals.GetValueOrDefault(p.Id))).ToList());
    }

    private static async Task<Results<Ok<PaymentView>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> ReverseAsync(
        string retailerId, string paymentId, ReasonRequest request, HttpContext http, CreditAccounts accounts, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!CreditApi.TryGetVisible(retailerId, http, out var id)) return CreditApi.RetailerNotFound(retailerId);
        if (!Guid.TryParse(paymentId, out var payment)) return PaymentNotFound(paymentId);
        if (CreditRules.Reason(request.Reason) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "A reason is needed");
        var result = await accounts.ReversePaymentAsync(id, payment, request.Reason!.Trim(), CurrentUser.From(http.User), cancellationToken);
        if (result.Outcome == ReversalOutcome.NotFound) return PaymentNotFound(paymentId);
        if (result.Outcome == ReversalOutcome.AlreadyReversed)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Payment already reversed", detail: "A payment is reversed once; record a new payment if it was paid again.");
        var stored = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == payment, cancellationToken);
        var reversal = await db.CreditLedger.AsNoTracking().SingleAsync(e => e.PaymentId == payment && e.Kind == CreditEntryKind.PaymentReversal, cancellationToken);
        return TypedResults.Ok(PaymentView.From(stored, reversal));
    }

    private static Task<Results<Ok<CreditView>, NotFound<ProblemDetails>, ValidationProblem>> CreditNoteAsync(
        string retailerId, CreditEntryRequest request, HttpContext http, CreditAccounts accounts, KhaachoDbContext db, CancellationToken cancellationToken) =>
        EntryAsync(retailerId, CreditEntryKind.CreditNote, request, http, accounts, db, cancellationToken);

    private static Task<Results<Ok<CreditView>, NotFound<ProblemDetails>, ValidationProblem>> AdjustAsync(
        string retailerId, CreditEntryRequest request, HttpContext http, CreditAccounts accounts, KhaachoDbContext db, CancellationToken cancellationToken) =>
        EntryAsync(retailerId, CreditEntryKind.Adjustment, request, http, accounts, db, cancellationToken);

    private static async Task<Results<Ok<CreditView>, NotFound<ProblemDetails>, ValidationProblem>> EntryAsync(
        string retailerId, CreditEntryKind kind, CreditEntryRequest request, HttpContext http, CreditAccounts accounts, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!CreditApi.TryGetVisible(retailerId, http, out var id)) return CreditApi.RetailerNotFound(retailerId);
        var creditNote = kind == CreditEntryKind.CreditNote;
        if (CreditRules.Entry(request, creditNote) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The entry is not valid");
        var change = creditNote ? -request.Amount!.Value : request.Amount!.Value;
        var after = await accounts.AdjustAsync(id, kind, change, request.Reason!.Trim(), request.Reference?.Trim(), CurrentUser.From(http.User), cancellationToken);
        return after is null ? CreditApi.RetailerNotFound(retailerId) : TypedResults.Ok((await CreditApi.ViewAsync(db, id, cancellationToken))!);
    }

    private static NotFound<ProblemDetails> PaymentNotFound(string paymentId) => TypedResults.NotFound(new ProblemDetails
    {
        Status = 404, Title = "Payment not found", Detail = $"No payment '{paymentId}' of this retailer.",
    });
}
