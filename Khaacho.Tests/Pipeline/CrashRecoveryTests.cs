using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Pipeline;

[Collection(AppCollection.Name)]
public sealed class CrashRecoveryTests(KhaachoAppFixture fixture)
{
    private const string Product = "MATCHBOX-BUNDLE";

    [Fact]
    public async Task Killing_the_orders_worker_mid_stream_loses_nothing_and_reserves_nothing_twice()
    {
        // Enough stock that every order can be confirmed, so the only thing under test is the crash.
        await fixture.ExecuteAsync("""
            UPDATE vendor_products vp SET stock = vp.reserved + 5000 FROM products p WHERE p.id = vp.product_id AND p.code = @code
            """, ("code", Product));
        var retailers = await Task.WhenAll(new[] { 1, 2, 8 }.Select(i => fixture.LoginAsync(ApiClient.DemoPhone("retailers", i))));
        var body = $$"""{"items":[{"productCode":"{{Product}}","quantity":1}]}""";

        var submitted = new List<Guid>();
        using var gate = new SemaphoreSlim(16);
        async Task<Guid> SubmitAsync(int i)
        {
            await gate.WaitAsync();
            try { return await retailers[i % retailers.Length].SubmitAsync(body); }
            finally { gate.Release(); }
        }
        submitted.AddRange(await Task.WhenAll(Enumerable.Range(0, 400).Select(SubmitAsync)));
        fixture.KillAppProcess("worker-orders");
        submitted.AddRange(await Task.WhenAll(Enumerable.Range(400, 600).Select(SubmitAsync)));
        await fixture.App.ResourceNotifications.WaitForResourceAsync("worker-orders", KnownResourceStates.Finished);
        await fixture.App.ResourceCommands.ExecuteCommandAsync("worker-orders", KnownResourceCommands.StartCommand);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("worker-orders");

        var ids = submitted.ToArray();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        long unfinished;
        do
        {
            await Task.Delay(1000);
            unfinished = await fixture.ScalarAsync<long>("SELECT count(*) FROM orders WHERE id = ANY(@ids) AND status NOT IN ('confirmed', 'failed')", ("ids", ids));
        }
        while (unfinished > 0 && DateTime.UtcNow < deadline);

        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Equal(0, unfinished);
        Assert.Equal(1000, await fixture.ScalarAsync<long>("SELECT count(*) FROM orders WHERE id = ANY(@ids) AND status = 'confirmed'", ("ids", ids)));
        // Exactly one confirmation, one credit reservation of exactly the total, per order.
        Assert.Equal(0, await fixture.ScalarAsync<long>("""
            SELECT count(*) FROM orders o
            WHERE o.id = ANY(@ids) AND (
                (SELECT count(*) FROM order_status_history h WHERE h.order_id = o.id AND h.to_status = 'confirmed') <> 1
             OR (SELECT coalesce(sum(amount), 0) FROM credit_ledger l WHERE l.order_id = o.id) <> -o.total)
            """, ("ids", ids)));
        await fixture.AssertReservationsMatchOpenOrdersAsync();
        await fixture.AssertCreditMatchesLedgerAsync();
        foreach (var client in retailers) client.Dispose();
    }
}
