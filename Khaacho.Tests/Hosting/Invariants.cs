namespace Khaacho.Tests.Hosting;

/// <summary>What must hold in the database whatever happened: the sums that prove nothing was reserved twice or leaked.</summary>
public static class Invariants
{
    /// <summary>Every unit reserved at a vendor belongs to an open (confirmed or accepted) order that holds it.</summary>
    public static async Task AssertReservationsMatchOpenOrdersAsync(this KhaachoAppFixture fixture) =>
        Assert.Equal(0, await fixture.CountStockViolationsAsync());

    /// <summary>Every retailer's available credit is its starting credit plus its ledger.</summary>
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

    /// <summary>Retailers whose available credit is not their starting credit plus their ledger.</summary>
    public static Task<long> CountCreditViolationsAsync(this KhaachoAppFixture fixture) => fixture.ScalarAsync<long>("""
        SELECT count(*) FROM retailers r
        WHERE r.available_credit <> r.credit_limit - r.outstanding + (SELECT coalesce(sum(amount), 0) FROM credit_ledger l WHERE l.retailer_id = r.id)
        """);
}
