using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Core.Credit;

/// <summary>A retailer whose balances disagree with its ledger or with the orders that hold its credit.</summary>
public sealed record CreditMismatch(
    Guid RetailerId, string Code, decimal CreditLimit, decimal Outstanding, decimal Reserved, decimal AvailableCredit,
    decimal LedgerOutstanding, decimal LedgerReserved, decimal HeldByOrders);

/// <summary>
/// The proof that the khata adds up, in one statement (one snapshot; columns in snake_case, as EF maps them): for every retailer, outstanding and reserved
/// are the sums of its ledger, reserved is what its open orders hold, and available = limit − outstanding − reserved.
/// </summary>
public static class CreditReconciliation
{
    public const string MismatchesSql = """
        SELECT r.id AS retailer_id, r.code, r.credit_limit, r.outstanding, r.reserved, r.available_credit,
               coalesce(l.outstanding, 0) AS ledger_outstanding, coalesce(l.reserved, 0) AS ledger_reserved, coalesce(h.held, 0) AS held_by_orders
        FROM retailers r
        LEFT JOIN (SELECT retailer_id, sum(outstanding_change) AS outstanding, sum(reserved_change) AS reserved
                   FROM credit_ledger GROUP BY retailer_id) l ON l.retailer_id = r.id
        LEFT JOIN (SELECT retailer_id, sum(total) AS held FROM orders
                   WHERE status IN ('confirmed', 'accepted', 'dispatched') GROUP BY retailer_id) h ON h.retailer_id = r.id
        WHERE r.outstanding <> coalesce(l.outstanding, 0) OR r.reserved <> coalesce(l.reserved, 0) OR r.reserved <> coalesce(h.held, 0)
           OR r.available_credit <> r.credit_limit - r.outstanding - r.reserved
        """;

    public static Task<List<CreditMismatch>> FindMismatchesAsync(KhaachoDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<CreditMismatch>(MismatchesSql).ToListAsync(cancellationToken);
}
