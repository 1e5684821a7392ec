namespace Khaacho.Tests.Hosting;

/// <summary>What must hold in the database whatever happened: the sums that prove nothing was reserved twice or leaked.</summary>
public static class Invariants
{
    /// <summary>Every unit reserved at a vendor belongs to an open (confirmed or accepted) order that holds it.</summary>
    public static async Task AssertReservationsMatchOpenOrdersAsync(this KhaachoAppFixture fixture) =>
        Assert.Equal(0, await fixture.CountStockViolationsAsync());

    /// <summary>Every retailer's balances are its ledger's sums and what its open orders hold; available = limit − outstanding − reserved.</summary>
    public static async Task AssertCreditMatchesLedgerAsync(this KhaachoAppFixture fixture) =>
        Assert.Equal(0, await fixture.CountCreditViolationsAsync());

    /// <summary>Vendor products whose reservation is out of 0..stock or differs from what open orders hold there.</summary>
    public static Task<long> CountStockViolationsAsync(this KhaachoAppFixture fixture) => fixture.ScalarAsync<long>("""
        SELECT count(*) FROM vendor_products vp
        LEFT JOIN (SELECT o.vendor_id, oi.product_id, sum(oi.quantity) AS held
                   FROM orders o JOIN order_items oi ON oi.order_id = o.id AND oi.created_at = o.created_at
                   WHERE o.status IN ('confirmed', 'accepted') GROUP BY 1, 2) h
          ON h.vendor_id = vp.vendor_id AND h.product_id = vp.product_id
        WHERE vp.reserved <> coalesce(h.held, 0) OR vp.reserved < 0 OR vp.reserved > vp.stock
        """);

    /// <summary>Retailers whose balances disagree with their ledger or their open orders (the reconciliation job's own query).</summary>
    public static Task<long> CountCreditViolationsAsync(this KhaachoAppFixture fixture) =>
        fixture.ScalarAsync<long>($"SELECT count(*) FROM ({Core.Credit.CreditReconciliation.MismatchesSql}) m");
}
