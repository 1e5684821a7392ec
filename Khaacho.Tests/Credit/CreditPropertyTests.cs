using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsCheck;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Credit;

/// <summary>
/// Orders, payments, reversals, cancellations and deliveries of one retailer, in random mixes, all at once: whatever
/// the interleaving, the balances are the ledger's sums, reserved is what open orders hold, outstanding is what was
/// delivered less what was paid, and no reservation ever spent credit that was not there.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CreditPropertyTests(KhaachoAppFixture fixture)
{
    public enum Step { Order, Pay, Reverse, Cancel, Deliver }

    private static readonly Gen<(Step Step, int Size)[]> Mixes =
        Gen.Select(Gen.Enum<Step>(), Gen.Int[1, 6]).Array[8, 16];

    private const decimal Limit = 12_000m;
    private const decimal Opening = 4_000m;

    [Fact]
    public async Task Concurrent_payments_and_orders_keep_every_balance_equal_to_the_ledger_and_the_orders()
    {
        await fixture.StockUpAsync(Khata.Product, 5_000);
        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);
        await Mixes.SampleAsync(async mix =>
        {
            var account = await fixture.NewRetailerAsync(Limit, Opening);
            using var retailer = await fixture.LoginAsync(account.Phone);
            var confirmed = new ConcurrentQueue<JsonElement>();
            var payments = new ConcurrentQueue<Guid>();
            await Task.WhenAll(mix.Select((s, i) => RunAsync(s, i, account, retailer, staff, confirmed, payments)));

            await Eventually.UntilAsync(async () => await fixture.ScalarAsync<long>(
                "SELECT count(*) FROM orders WHERE retailer_id = @r AND status IN ('received', 'validated', 'rejected_by_vendor')", ("r", account.Id)) == 0,
                60, "the retailer's orders to leave the pipeline");
            await AssertBalancesAsync(account, staff);
        }, iter: 6, threads: 1, print: m => string.Join(" ", m.Select(s => $"{s.Step}:{s.Size}")));
    }

    private async Task RunAsync(
        (Step Step, int Size) step, int index, TestRetailer account, HttpClient retailer, HttpClient staff, ConcurrentQueue<JsonElement> confirmed, ConcurrentQueue<Guid> payments)
    {
        await Task.Delay(index * 37 % 250);
        switch (step.Step)
        {
            case Step.Order:
                var (_, status) = await retailer.PlaceAsync(step.Size);
                if (status.GetProperty("orderStatus").GetString() == "confirmed") confirmed.Enqueue(status);
                break;
            case Step.Pay:
                using (var paid = await staff.PayAsync(account.Id, step.Size * 700.25m, $"P-{index}"))
                {
                    Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
                    payments.Enqueue((await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                }
                break;
            case Step.Reverse when payments.TryPeek(out var payment):
                using (var reversed = await staff.ReverseAsync(account.Id, payment))
                    Assert.Contains(reversed.StatusCode, (HttpStatusCode[])[HttpStatusCode.OK, HttpStatusCode.Conflict]);
                break;
            case Step.Cancel when confirmed.TryPeek(out var order):
                using (await retailer.PatchAsJsonAsync($"/api/v1/orders/{order.GetProperty("orderId").GetGuid()}/status", new { status = "cancelled" })) { }
                break;
            case Step.Deliver when confirmed.TryDequeue(out var order):
                var vendorPhone = await fixture.ScalarAsync<string>("SELECT phone FROM vendors WHERE id = @v", ("v", order.GetProperty("result").GetProperty("vendorId").GetGuid()));
                using (var vendor = await fixture.LoginAsync(vendorPhone))
                    foreach (var next in (string[])["accepted", "dispatched", "delivered"])
                        using (await vendor.PatchAsJsonAsync($"/api/v1/orders/{order.GetProperty("orderId").GetGuid()}/status", new { status = next })) { }
                break;
        }
    }

    private async Task AssertBalancesAsync(TestRetailer account, HttpClient staff)
    {
        var credit = await staff.CreditAsync(account.Id);
        Khata.AssertAddsUp(credit);
        var delivered = await fixture.ScalarAsync<decimal>(
            "SELECT coalesce(sum(total), 0) FROM orders WHERE retailer_id = @r AND status IN ('delivered', 'completed')", ("r", account.Id));
        var held = await fixture.ScalarAsync<decimal>(
            "SELECT coalesce(sum(total), 0) FROM orders WHERE retailer_id = @r AND status IN ('confirmed', 'accepted', 'dispatched')", ("r", account.Id));
        var paid = await fixture.ScalarAsync<decimal>("""
            SELECT coalesce(sum(p.amount), 0) FROM payments p
            WHERE p.retailer_id = @r AND NOT EXISTS (SELECT 1 FROM credit_ledger l WHERE l.payment_id = p.id AND l.kind = 'payment_reversal')
            """, ("r", account.Id));
        Assert.Equal(held, credit.Decimal("reserved"));
        Assert.Equal(Opening + delivered - paid, credit.Decimal("outstanding"));
        Assert.Equal(0L, await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM ({Core.Credit.CreditReconciliation.MismatchesSql}) m WHERE m.retailer_id = @r", ("r", account.Id)));
        // A reservation is taken only from credit that is there: never below zero after one.
        Assert.Equal(0L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM credit_ledger WHERE retailer_id = @r AND kind = 'reserve' AND available_after < 0", ("r", account.Id)));
        // Each confirmed order holds exactly once: its reserves minus releases and charges are what it still holds.
        Assert.Equal(0L, await fixture.ScalarAsync<long>("""
            SELECT count(*) FROM orders o
            WHERE o.retailer_id = @r AND (SELECT coalesce(sum(l.reserved_change), 0) FROM credit_ledger l WHERE l.order_id = o.id)
                  <> CASE WHEN o.status IN ('confirmed', 'accepted', 'dispatched') THEN o.total ELSE 0 END
            """, ("r", account.Id)));
    }
}
