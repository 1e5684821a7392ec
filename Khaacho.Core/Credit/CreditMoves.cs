using Khaacho.Core.Data;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Core.Credit;

/// <summary>A retailer's balances after a move, as the same UPDATE returned them.</summary>
public sealed record CreditBalances(decimal CreditLimit, decimal Outstanding, decimal Reserved, decimal AvailableCredit)
{
    /// <summary>Share of the limit in use (owed and held), 0 when there is no limit.</summary>
    public decimal UsedShare => CreditLimit <= 0 ? 1 : (Outstanding + Reserved) / CreditLimit;
}

/// <summary>
/// The one place a retailer's balances change: each move is one UPDATE of <c>reserved</c>, <c>outstanding</c> and
/// <c>available_credit</c> together (a CHECK keeps available = limit − outstanding − reserved) and its ledger entry, in
/// the caller's transaction. Concurrent moves of one retailer serialise on its row; none reads then writes.
/// </summary>
public static class CreditMoves
{
    /// <summary>Holds <paramref name="amount"/> for an order if the retailer has that much available and is not blocked.</summary>
    /// <returns>The balances after, or null when the credit is not there (or the retailer is blocked): nothing changed.</returns>
    public static async Task<CreditBalances?> ReserveAsync(KhaachoDbContext db, Order order, decimal amount, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var after = await UpdateAsync(db, order.RetailerId, reservedChange: amount, outstandingChange: 0, onlyIfAvailable: true, cancellationToken);
        if (after is null) return null;
        Record(db, order.RetailerId, CreditEntryKind.Reserve, amount, 0, after, actor, $"Order {order.OrderNumber} confirmed", order.OrderNumber, now, order.Id);
        return after;
    }

    /// <summary>Gives back what an order holds (it was cancelled, failed, or rejected by its vendor).</summary>
    public static async Task<CreditBalances> ReleaseAsync(KhaachoDbContext db, Order order, string actor, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var after = await UpdateAsync(db, order.RetailerId, -order.Total, 0, false, cancellationToken);
        Record(db, order.RetailerId, CreditEntryKind.Release, -order.Total, 0, after!, actor, $"Order {order.OrderNumber} {why}", order.OrderNumber, now, order.Id);
        return after!;
    }

    /// <summary>Delivered: what the order held becomes what the retailer owes; available credit does not change.</summary>
    public static async Task<CreditBalances> ChargeAsync(KhaachoDbContext db, Order order, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var after = await UpdateAsync(db, order.RetailerId, -order.Total, order.Total, false, cancellationToken);
        Record(db, order.RetailerId, CreditEntryKind.Charge, -order.Total, order.Total, after!, actor, $"Order {order.OrderNumber} delivered", order.OrderNumber, now, order.Id);
        return after!;
    }

    /// <summary>Changes what the retailer owes by <paramref name="outstandingChange"/> (− for a payment or credit note).</summary>
    /// <returns>Null when there is no such retailer.</returns>
    public static async Task<CreditBalances?> ChangeOwedAsync(
        KhaachoDbContext db, Guid retailerId, CreditEntryKind kind, decimal outstandingChange, string actor, string description, string? reference,
        DateTimeOffset now, CancellationToken cancellationToken, Guid? paymentId = null, Guid? orderId = null, Guid? entryId = null)
    {
        var after = await UpdateAsync(db, retailerId, 0, outstandingChange, false, cancellationToken);
        if (after is null) return null;
        Record(db, retailerId, kind, 0, outstandingChange, after, actor, description, reference, now, orderId, paymentId, entryId);
        return after;
    }

    private static async Task<CreditBalances?> UpdateAsync(
        KhaachoDbContext db, Guid retailerId, decimal reservedChange, decimal outstandingChange, bool onlyIfAvailable, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<CreditBalances>($"""
            UPDATE retailers
            SET reserved = reserved + {reservedChange}, outstanding = outstanding + {outstandingChange},
                available_credit = available_credit - {reservedChange} - {outstandingChange}
            WHERE id = {retailerId} AND (NOT {onlyIfAvailable} OR (available_credit >= {reservedChange} AND NOT is_blocked))
            RETURNING credit_limit, outstanding, reserved, available_credit
            """).ToListAsync(cancellationToken);
        return rows.SingleOrDefault();
    }

    private static void Record(
        KhaachoDbContext db, Guid retailerId, CreditEntryKind kind, decimal reservedChange, decimal outstandingChange, CreditBalances after,
        string actor, string description, string? reference, DateTimeOffset now, Guid? orderId = null, Guid? paymentId = null, Guid? entryId = null) =>
        db.CreditLedger.Add(new CreditLedgerEntry
        {
            Id = entryId ?? Guid.CreateVersion7(now), RetailerId = retailerId, OrderId = orderId, PaymentId = paymentId, Kind = kind,
            Amount = -(reservedChange + outstandingChange), ReservedChange = reservedChange, OutstandingChange = outstandingChange,
            AvailableAfter = after.AvailableCredit, OutstandingAfter = after.Outstanding, Actor = actor,
            Description = description.Length > CreditLedgerEntry.MaxDescriptionLength ? description[..CreditLedgerEntry.MaxDescriptionLength] : description,
            Reference = reference, CreatedAt = now,
        });
}
