using System.Net;
using System.Net.Http.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Reliability;

/// <summary>Issue 12, finding 8: two people moving one order at once get one move and one 409, never a 500 or a double release.</summary>
[Collection(AppCollection.Name)]
public sealed class ConcurrentMoveTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task Two_cancels_of_one_confirmed_order_at_once_release_its_reservation_once_and_the_second_gets_409()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        using var again = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var orderId = await retailer.SubmitAsync("""{"items":[{"productCode":"CANDLE-PKT","quantity":3},{"productCode":"SPICE-CUMIN-100G","quantity":2}]}""");
            Assert.Equal("confirmed", (await retailer.WaitForStatusAsync(orderId, "confirmed", "failed")).GetProperty("orderStatus").GetString());

            var both = await Task.WhenAll(
                retailer.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "cancelled", reason = "first" }),
                again.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "cancelled", reason = "second" }));
            statuses.AddRange(both.Select(r => r.StatusCode));
            foreach (var response in both) response.Dispose();

            Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM credit_ledger WHERE order_id = @o AND kind = 'release'", ("o", orderId)));
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Conflict));
        await fixture.AssertReservationsMatchOpenOrdersAsync();
        await fixture.AssertCreditMatchesLedgerAsync();
    }
}
