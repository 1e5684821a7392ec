using System.Diagnostics.Metrics;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Khaacho.Core.Credit;

public sealed record PaymentInput(decimal Amount, PaymentMethod Method, string Reference, DateOnly ReceivedOn, string? Note);

public enum PaymentOutcome { Recorded, Replayed, ReferenceTaken, RetailerNotFound }

public sealed record PaymentResult(PaymentOutcome Outcome, Payment? Payment, CreditBalances? Balances);

public enum ReversalOutcome { Reversed, AlreadyReversed, NotFound }

public sealed record ReversalResult(ReversalOutcome Outcome, CreditBalances? Balances);

/// <summary>What staff do to a retailer's khata: payments and their reversal, credit notes and adjustments, limits, terms and holds.</summary>
public sealed partial class CreditAccounts(KhaachoDbContext db, OutboxPublisher publisher, TimeProvider clock, ILogger<CreditAccounts> logger)
{
    private static readonly Counter<long> Payments = KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.credit.payments", description: "Payments recorded, replayed and reversed, by outcome");
    private static readonly Counter<decimal> Collected = KhaachoTelemetry.Meter.CreateCounter<decimal>(
        "khaacho.credit.collected", unit: "NPR", description: "Money recorded as received from retailers, less reversals");

    public async Task<PaymentResult> RecordPaymentAsync(Guid retailerId, PaymentInput input, CurrentUser by, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("credit.payment");
        activity?.SetTag("khaacho.retailer_id", retailerId);
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()), RetailerId = retailerId, Amount = input.Amount, Method = input.Method,
            Reference = input.Reference, ReceivedOn = input.ReceivedOn, Note = input.Note, RecordedBy = by.Actor, RecordedAt = clock.GetUtcNow(),
        };
        var result = await InTransactionAsync(async ct =>
        {
            if (!await db.Retailers.AnyAsync(r => r.Id == retailerId, ct)) return new PaymentResult(PaymentOutcome.RetailerNotFound, null, null);
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO payments (id, retailer_id, amount, method, reference, received_on, note, recorded_by, recorded_at)
                VALUES ({payment.Id}, {retailerId}, {payment.Amount}, {payment.Method.ToWire()}, {payment.Reference}, {payment.ReceivedOn},
                        {payment.Note}, {payment.RecordedBy}, {payment.RecordedAt})
                ON CONFLICT (retailer_id, reference) DO NOTHING
                """, ct);
            if (inserted == 0)
            {
                var existing = await db.Payments.AsNoTracking().SingleAsync(p => p.RetailerId == retailerId && p.Reference == input.Reference, ct);
                var same = existing.Amount == input.Amount && existing.Method == input.Method && existing.ReceivedOn == input.ReceivedOn;
                return new PaymentResult(same ? PaymentOutcome.Replayed : PaymentOutcome.ReferenceTaken, existing, null);
            }
            var after = await CreditMoves.ChangeOwedAsync(db, retailerId, CreditEntryKind.Payment, -payment.Amount, by.Actor,
                $"Payment received ({payment.Method.ToWire()} {payment.Reference}, {payment.ReceivedOn:yyyy-MM-dd})", payment.Reference,
                payment.RecordedAt, ct, paymentId: payment.Id);
            Outbox.Tell(db, RecipientKind.Retailer, retailerId, "payment_received",
                $"We received your payment of {Money.Format(payment.Amount)} ({payment.Reference}). You owe {Money.Format(after!.Outstanding)}; available credit {Money.Format(after.AvailableCredit)}.",
                payment.RecordedAt);
            return new PaymentResult(PaymentOutcome.Recorded, payment, after);
        }, ct => db.Payments.AnyAsync(p => p.Id == payment.Id, ct), new PaymentResult(PaymentOutcome.Recorded, payment, null), cancellationToken);

        Payments.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToWire()));
        if (result.Outcome == PaymentOutcome.Recorded)
        {
            Collected.Add(payment.Amount);
            LogPayment(logger, retailerId, payment.Id, payment.Amount, payment.Reference);
        }
        return result;
    }

    public async Task<ReversalResult> ReversePaymentAsync(Guid retailerId, Guid paymentId, string reason, CurrentUser by, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("credit.payment_reversal");
        activity?.SetTag("khaacho.retailer_id", retailerId);
        var entryId = Guid.CreateVersion7(clock.GetUtcNow());
        var result = await InTransactionAsync(async ct =>
        {
            var payment = await db.Payments.FromSql($"SELECT * FROM payments WHERE id = {paymentId} AND retailer_id = {retailerId} FOR UPDATE")
                .AsNoTracking().SingleOrDefaultAsync(ct);
            if (payment is null) return new ReversalResult(ReversalOutcome.NotFound, null);
            if (await db.CreditLedger.AnyAsync(e => e.PaymentId == paymentId && e.Kind == CreditEntryKind.PaymentReversal, ct))
                return new ReversalResult(ReversalOutcome.AlreadyReversed, null);
            var now = clock.GetUtcNow();
            var after = await CreditMoves.ChangeOwedAsync(db, retailerId, CreditEntryKind.PaymentReversal, payment.Amount, by.Actor,
                $"Payment {payment.Reference} reversed: {reason}", payment.Reference, now, ct, paymentId: paymentId, entryId: entryId);
            Outbox.Tell(db, RecipientKind.Retailer, retailerId, "payment_reversed",
                $"Your payment {payment.Reference} of {Money.Format(payment.Amount)} was reversed: {reason}. You owe {Money.Format(after!.Outstanding)}; available credit {Money.Format(after.AvailableCredit)}.",
                now);
            Collected.Add(-payment.Amount);
            return new ReversalResult(ReversalOutcome.Reversed, after);
        }, ct => db.CreditLedger.AnyAsync(e => e.Id == entryId, ct), new ReversalResult(ReversalOutcome.Reversed, null), cancellationToken);
        Payments.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome == ReversalOutcome.Reversed ? "reversed" : "reversal_refused"));
        if (result.Outcome == ReversalOutcome.Reversed) LogReversed(logger, retailerId, paymentId, reason);
        return result;
    }

    /// <summary>A credit note (what the retailer owes goes down) or an adjustment either way, with the reason it shows on the statement.</summary>
    /// <returns>Null when there is no such retailer.</returns>
    public async Task<CreditBalances?> AdjustAsync(
        Guid retailerId, CreditEntryKind kind, decimal outstandingChange, string reason, string? reference, CurrentUser by, CancellationToken cancellationToken)
    {
        var entryId = Guid.CreateVersion7(clock.GetUtcNow());
        var after = await InTransactionAsync(async ct =>
        {
            var now = clock.GetUtcNow();
            var balances = await CreditMoves.ChangeOwedAsync(db, retailerId, kind, outstandingChange, by.Actor, reason, reference, now, ct, entryId: entryId);
            if (balances is not null)
                Outbox.Tell(db, RecipientKind.Retailer, retailerId, kind.ToWire(),
                    $"Your khata was {(outstandingChange < 0 ? "credited" : "debited")} {Money.Format(Math.Abs(outstandingChange))}: {reason}. You owe {Money.Format(balances.Outstanding)}.", now);
            return balances;
        }, ct => db.CreditLedger.AnyAsync(e => e.Id == entryId, ct), null, cancellationToken);
        if (after is not null) LogAdjusted(logger, retailerId, kind.ToWire(), outstandingChange, reason);
        return after;
    }

    /// <summary>Sets the limit and the payment terms; available credit follows the limit (and may go below zero: no new orders then).</summary>
    /// <returns>False when there is no such retailer.</returns>
    public Task<bool> SetTermsAsync(Guid retailerId, decimal creditLimit, int paymentTermsDays, string reason, CurrentUser by, CancellationToken cancellationToken) =>
        ChangeRetailerAsync(retailerId, by, cancellationToken, async (retailer, now, ct) =>
        {
            if (retailer.CreditLimit != creditLimit)
                Audit(retailerId, CreditChangeKind.Limit, retailer.CreditLimit.ToString("0.00"), creditLimit.ToString("0.00"), reason, by, now);
            if (retailer.PaymentTermsDays != paymentTermsDays)
                Audit(retailerId, CreditChangeKind.Terms, $"{retailer.PaymentTermsDays} days", $"{paymentTermsDays} days", reason, by, now);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE retailers SET credit_limit = {creditLimit}, available_credit = {creditLimit} - outstanding - reserved, payment_terms_days = {paymentTermsDays}
                WHERE id = {retailerId}
                """, ct);
            if (retailer.CreditLimit != creditLimit)
                Outbox.Tell(db, RecipientKind.Retailer, retailerId, "credit_limit_changed",
                    $"Your credit limit is now {Money.Format(creditLimit)} (was {Money.Format(retailer.CreditLimit)}).", now);
        });

    /// <returns>False when there is no such retailer.</returns>
    public Task<bool> SetBlockedAsync(Guid retailerId, bool blocked, string reason, CurrentUser by, CancellationToken cancellationToken) =>
        ChangeRetailerAsync(retailerId, by, cancellationToken, async (retailer, now, ct) =>
        {
            if (retailer.IsBlocked == blocked) return;
            Audit(retailerId, blocked ? CreditChangeKind.Block : CreditChangeKind.Unblock, retailer.IsBlocked ? "blocked" : "active", blocked ? "blocked" : "active", reason, by, now);
            await db.Database.ExecuteSqlAsync($"UPDATE retailers SET is_blocked = {blocked}, blocked_reason = {(blocked ? reason : null)} WHERE id = {retailerId}", ct);
            Outbox.Tell(db, RecipientKind.Retailer, retailerId, blocked ? "account_blocked" : "account_unblocked",
                blocked ? RetailerHold.Reason(reason) : "Your account is active again; you can order.", now);
        });

    private async Task<bool> ChangeRetailerAsync(
        Guid retailerId, CurrentUser by, CancellationToken cancellationToken, Func<Catalog.Retailer, DateTimeOffset, CancellationToken, Task> change)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("credit.administration");
        activity?.SetTag("khaacho.retailer_id", retailerId);
        var found = await InTransactionAsync(async ct =>
        {
            var retailer = await db.Retailers.FromSql($"SELECT * FROM retailers WHERE id = {retailerId} FOR UPDATE").AsNoTracking().SingleOrDefaultAsync(ct);
            if (retailer is null) return false;
            await change(retailer, clock.GetUtcNow(), ct);
            return true;
        }, null, false, cancellationToken);
        if (found) LogAdministered(logger, retailerId, by.Actor);
        return found;
    }

    private void Audit(Guid retailerId, CreditChangeKind kind, string before, string after, string reason, CurrentUser by, DateTimeOffset now) =>
        db.CreditChanges.Add(new CreditChange
        {
            Id = Guid.CreateVersion7(now), RetailerId = retailerId, Kind = kind, Before = before, After = after, Reason = reason, Actor = by.Actor, At = now,
        });

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction with the outbox rows it queued, retried on transient errors; a
    /// commit whose acknowledgement was lost is recognised by <paramref name="committed"/> (not applied twice).
    /// </summary>
    private async Task<T> InTransactionAsync<T>(
        Func<CancellationToken, Task<T>> work, Func<CancellationToken, Task<bool>>? committed, T whenCommitted, CancellationToken cancellationToken)
    {
        List<OutboxMessage> queued = [];
        var result = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            0,
            async (_, _, ct) =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var value = await work(ct);
                queued = OutboxPublisher.Queued(db);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return value;
            },
            committed is null ? null : async (_, _, ct) => new ExecutionResult<T>(await committed(ct), whenCommitted),
            cancellationToken);
        await publisher.TryPublishAllAsync(queued);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retailer {RetailerId}: payment {PaymentId} of {Amount} recorded ({Reference})")]
    private static partial void LogPayment(ILogger logger, Guid retailerId, Guid paymentId, decimal amount, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retailer {RetailerId}: payment {PaymentId} reversed ({Reason})")]
    private static partial void LogReversed(ILogger logger, Guid retailerId, Guid paymentId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retailer {RetailerId}: {Kind} of {OutstandingChange} ({Reason})")]
    private static partial void LogAdjusted(ILogger logger, Guid retailerId, string kind, decimal outstandingChange, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retailer {RetailerId}: credit administered by {Actor}")]
    private static partial void LogAdministered(ILogger logger, Guid retailerId, string actor);
}
