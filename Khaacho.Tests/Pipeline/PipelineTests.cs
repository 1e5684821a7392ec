using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Pipeline;

[Collection(AppCollection.Name)]
public sealed class PipelineTests(KhaachoAppFixture fixture)
{
    private const string TwoLines = """{"items":[{"productCode":"DAL-MOONG-1KG","quantity":6},{"productCode":"DAL-RAHAR-1KG","quantity":4}]}""";

    [Fact]
    public async Task An_items_order_is_confirmed_with_vendor_prices_vat_reserved_stock_and_credit_history_and_notifications()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 6));
        var retailerId = await fixture.ScalarAsync<Guid>("SELECT id FROM retailers WHERE phone = @p", ("p", ApiClient.DemoPhone("retailers", 6)));
        var creditBefore = await fixture.ScalarAsync<decimal>("SELECT available_credit FROM retailers WHERE id = @r", ("r", retailerId));

        var orderId = await retailer.SubmitAsync(TwoLines);
        var status = await retailer.WaitForStatusAsync(orderId, "confirmed", "failed");

        Assert.Equal("confirmed", status.GetProperty("orderStatus").GetString());
        Assert.Equal("completed", status.GetProperty("status").GetString());
        var result = status.GetProperty("result");
        var vendorId = result.GetProperty("vendorId").GetGuid();
        var expectedSubtotal = await fixture.ScalarAsync<decimal>("""
            SELECT sum(vp.price * oi.quantity) FROM order_items oi JOIN vendor_products vp ON vp.product_id = oi.product_id AND vp.vendor_id = @v
            WHERE oi.order_id = @o
            """, ("v", vendorId), ("o", orderId));
        Assert.Equal(expectedSubtotal, result.GetProperty("subtotal").GetDecimal());
        Assert.Equal(Math.Round(expectedSubtotal * 0.13m, 2, MidpointRounding.AwayFromZero), result.GetProperty("vat").GetDecimal());
        var total = result.GetProperty("total").GetDecimal();
        Assert.Equal(expectedSubtotal + result.GetProperty("vat").GetDecimal(), total);

        Assert.Equal(creditBefore - total, await fixture.ScalarAsync<decimal>("SELECT available_credit FROM retailers WHERE id = @r", ("r", retailerId)));
        Assert.Equal(-total, await fixture.ScalarAsync<decimal>("SELECT sum(amount) FROM credit_ledger WHERE order_id = @o", ("o", orderId)));
        await fixture.AssertReservationsMatchOpenOrdersAsync();

        var order = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        Assert.Equal(["received", "validated", "confirmed"], order.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()));
        var kinds = await WaitForNotificationsAsync(orderId, 2);
        Assert.Equal(["new_order", "order_confirmed"], kinds);
    }

    [Fact]
    public async Task Notifications_are_sent_to_the_webhook_as_whatsapp_text_messages_and_listed_for_their_recipient()
    {
        var phone = ApiClient.DemoPhone("retailers", 6);
        // Wrote in WhatsApp a minute ago: inside Meta's 24-hour window, notices go as free text (outside it, as a template).
        await fixture.ExecuteAsync("""
            INSERT INTO conversations (phone, language, last_inbound_at, updated_at) VALUES (@p, 'ne', now() - interval '1 minute', now())
            ON CONFLICT (phone) DO UPDATE SET last_inbound_at = now() - interval '1 minute'
            """, ("p", phone));
        using var retailer = await fixture.LoginAsync(phone);
        var orderId = await retailer.SubmitAsync(TwoLines);
        var number = (await retailer.WaitForStatusAsync(orderId, "confirmed", "failed")).GetProperty("orderNumber").GetString()!;

        var deadline = DateTime.UtcNow.AddSeconds(90);
        (string Authorization, JsonElement Body) sent;
        while (!fixture.WhatsApp.Received.Any(m => Khaacho.Tests.WhatsApp.MetaWebhook.TextOf(m.Body).Contains(number) && m.Body.GetProperty("to").GetString() == phone.TrimStart('+')))
        {
            Assert.True(DateTime.UtcNow < deadline, "the webhook never received the retailer's confirmation");
            await Task.Delay(200);
        }
        sent = fixture.WhatsApp.Received.First(m => m.Body.GetProperty("to").GetString() == phone.TrimStart('+') && Khaacho.Tests.WhatsApp.MetaWebhook.TextOf(m.Body).Contains(number));

        Assert.Equal("Bearer test-whatsapp-token", sent.Authorization);
        Assert.Equal("whatsapp", sent.Body.GetProperty("messaging_product").GetString());
        Assert.Equal("text", sent.Body.GetProperty("type").GetString());
        var mine = await WaitForSentAsync(retailer, orderId);
        Assert.Equal("order_confirmed", mine.GetProperty("kind").GetString());
    }

    private static async Task<JsonElement> WaitForSentAsync(HttpClient retailer, Guid orderId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var list = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/notifications?orderId={orderId}");
            var sent = list.EnumerateArray().FirstOrDefault(n => n.GetProperty("status").GetString() == "sent");
            if (sent.ValueKind == JsonValueKind.Object) return sent;
            Assert.True(DateTime.UtcNow < deadline, "the notification was never marked sent");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_vendor_rejection_releases_the_reservation_and_reroutes_to_the_next_vendor()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 6));
        var orderId = await retailer.SubmitAsync(TwoLines);
        var first = (await retailer.WaitForStatusAsync(orderId, "confirmed", "failed")).GetProperty("result").GetProperty("vendorId").GetGuid();

        using var vendor = await fixture.LoginAsync(await VendorPhoneAsync(first));
        using var reject = await vendor.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "rejected_by_vendor", reason = "out of stock" });
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);

        var rerouted = await WaitForVendorChangeAsync(retailer, orderId, first);
        Assert.Equal("confirmed", rerouted.GetProperty("orderStatus").GetString());
        Assert.NotEqual(first, rerouted.GetProperty("result").GetProperty("vendorId").GetGuid());
        Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT reroutes FROM orders WHERE id = @o", ("o", orderId)));
        await fixture.AssertReservationsMatchOpenOrdersAsync();
    }

    [Fact]
    public async Task A_missed_acceptance_deadline_reroutes_the_order()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 6));
        var orderId = await retailer.SubmitAsync(TwoLines);
        var first = (await retailer.WaitForStatusAsync(orderId, "confirmed", "failed")).GetProperty("result").GetProperty("vendorId").GetGuid();

        await fixture.ExecuteAsync("UPDATE orders SET acceptance_deadline = now() - interval '1 minute' WHERE id = @o", ("o", orderId));

        var rerouted = await WaitForVendorChangeAsync(retailer, orderId, first);
        Assert.Equal("confirmed", rerouted.GetProperty("orderStatus").GetString());
        var history = await fixture.ColumnAsync<string>("SELECT actor FROM order_status_history WHERE order_id = @o AND to_status = 'rejected_by_vendor'", ("o", orderId));
        Assert.Equal(["deadline"], history);
    }

    [Fact]
    public async Task Cancelling_a_confirmed_order_releases_its_stock_and_credit()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 7));
        var retailerId = await fixture.ScalarAsync<Guid>("SELECT id FROM retailers WHERE phone = @p", ("p", ApiClient.DemoPhone("retailers", 7)));
        var creditBefore = await fixture.ScalarAsync<decimal>("SELECT available_credit FROM retailers WHERE id = @r", ("r", retailerId));
        var orderId = await retailer.SubmitAsync(TwoLines);
        await retailer.WaitForStatusAsync(orderId, "confirmed", "failed");

        using var cancel = await retailer.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "cancelled", reason = "changed my mind" });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(creditBefore, await fixture.ScalarAsync<decimal>("SELECT available_credit FROM retailers WHERE id = @r", ("r", retailerId)));
        Assert.Equal(0m, await fixture.ScalarAsync<decimal>("SELECT sum(amount) FROM credit_ledger WHERE order_id = @o", ("o", orderId)));
        await fixture.AssertReservationsMatchOpenOrdersAsync();
    }

    [Fact]
    public async Task Fifty_concurrent_orders_for_the_last_ten_units_sell_exactly_ten()
    {
        // Only one vendor has the product, and only 10 units of it are not yet reserved.
        const string product = "OIL-MUSTARD-1L";
        await fixture.ExecuteAsync("""
            UPDATE vendor_products vp SET stock = vp.reserved + CASE WHEN v.code = 'V002' THEN 10 ELSE 0 END
            FROM vendors v, products p WHERE v.id = vp.vendor_id AND p.id = vp.product_id AND p.code = @code
            """, ("code", product));
        var clients = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => fixture.LoginAsync(ApiClient.DemoPhone("retailers", i + 3))));

        var orderIds = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            clients[i % 5].SubmitAsync($$"""{"items":[{"productCode":"{{product}}","quantity":1}]}""")));
        var outcomes = await Task.WhenAll(orderIds.Select((id, i) => clients[i % 5].WaitForStatusAsync(id, "confirmed", "failed")));

        Assert.Equal(10, outcomes.Count(o => o.GetProperty("orderStatus").GetString() == "confirmed"));
        Assert.Equal(40, outcomes.Count(o => o.GetProperty("error").ValueKind == JsonValueKind.Object && o.GetProperty("error").GetProperty("code").GetString() == "no_vendor"));
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM vendor_products WHERE reserved > stock OR stock < 0"));
        await fixture.AssertReservationsMatchOpenOrdersAsync();
        await fixture.AssertCreditMatchesLedgerAsync();
        foreach (var client in clients) client.Dispose();
    }

    private async Task<string> VendorPhoneAsync(Guid vendorId) =>
        await fixture.ScalarAsync<string>("SELECT phone FROM vendors WHERE id = @v", ("v", vendorId));

    private static async Task<JsonElement> WaitForVendorChangeAsync(HttpClient client, Guid orderId, Guid previousVendor)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/status");
            var result = status.GetProperty("result");
            if ((result.ValueKind == JsonValueKind.Object && result.GetProperty("vendorId").GetGuid() != previousVendor) || DateTime.UtcNow > deadline) return status;
            await Task.Delay(200);
        }
    }

    private async Task<List<string>> WaitForNotificationsAsync(Guid orderId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var kinds = await fixture.ColumnAsync<string>("SELECT kind FROM notifications WHERE order_id = @o ORDER BY kind", ("o", orderId));
            if (kinds.Count >= count || DateTime.UtcNow > deadline) return kinds;
            await Task.Delay(200);
        }
    }
}
