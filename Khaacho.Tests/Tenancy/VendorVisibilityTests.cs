using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Tenancy;

/// <summary>
/// Issue 13's reproduced leak: naming a vendor on an order must not show that vendor the order (private notes and
/// chat text included) unless the pipeline routes the order to it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class VendorVisibilityTests(KhaachoAppFixture fixture)
{
    private const string PrivateNotes = "back gate key is under the pot; do not tell the other wholesaler";

    [Fact]
    public async Task A_vendor_named_on_an_order_that_needs_clarification_cannot_read_it()
    {
        var (retailer, vendor, vendorId) = await RetailerAndNamedVendorAsync();
        var orderId = await retailer.SubmitAsync(JsonSerializer.Serialize(new { vendorId, text = "same as last time", notes = PrivateNotes }));
        var status = await retailer.WaitForStatusAsync(orderId, "needs_clarification", "confirmed", "failed");
        Assert.Equal("needs_clarification", status.GetProperty("orderStatus").GetString());

        await AssertHiddenFromAsync(vendor, orderId);
    }

    [Fact]
    public async Task A_vendor_named_on_an_order_that_fails_validation_cannot_read_it()
    {
        var (retailer, vendor, vendorId) = await RetailerAndNamedVendorAsync();
        var unstocked = await fixture.ScalarAsync<string>("""
            SELECT p.code FROM products p
            WHERE p.is_active AND NOT EXISTS (SELECT 1 FROM vendor_products vp WHERE vp.product_id = p.id AND vp.vendor_id = @v)
            ORDER BY p.code LIMIT 1
            """, ("v", vendorId));
        var orderId = await retailer.SubmitAsync(JsonSerializer.Serialize(new { vendorId, items = new[] { new { productCode = unstocked, quantity = 1 } }, notes = PrivateNotes }));
        var status = await retailer.WaitForStatusAsync(orderId, "failed", "confirmed");
        Assert.Equal("failed", status.GetProperty("orderStatus").GetString());

        await AssertHiddenFromAsync(vendor, orderId);
    }

    [Fact]
    public async Task A_vendor_named_on_an_order_cancelled_before_routing_cannot_read_it()
    {
        var (retailer, vendor, vendorId) = await RetailerAndNamedVendorAsync();
        var retailerId = await fixture.ScalarAsync<Guid>("SELECT id FROM retailers WHERE phone = @p", ("p", ApiClient.DemoPhone("retailers", 8)));
        var (orderId, _) = await fixture.InsertOrderAsync(new OrderRow(retailerId, vendorId, "cancelled", Notes: PrivateNotes, RawText: "chini 3 bora"));

        await AssertHiddenFromAsync(vendor, orderId);
        using var own = await retailer.GetAsync($"/api/v1/orders/{orderId}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task The_vendor_an_order_is_routed_to_reads_it_with_its_notes()
    {
        var (retailer, _, _) = await RetailerAndNamedVendorAsync();
        var orderId = await retailer.SubmitAsync(JsonSerializer.Serialize(new { items = new[] { new { productCode = "SUGAR-1KG", quantity = 2 } }, notes = PrivateNotes }));
        var status = await retailer.WaitForStatusAsync(orderId, "confirmed", "failed");
        var routedId = status.GetProperty("result").GetProperty("vendorId").GetGuid();
        using var routed = await fixture.LoginAsync(await fixture.ScalarAsync<string>("SELECT phone FROM vendors WHERE id = @v", ("v", routedId)));

        var order = await routed.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");

        Assert.Equal(PrivateNotes, order.GetProperty("notes").GetString());
    }

    private async Task<(HttpClient Retailer, HttpClient Vendor, Guid VendorId)> RetailerAndNamedVendorAsync()
    {
        var vendorPhone = ApiClient.DemoPhone("vendors", 0);
        var vendorId = await fixture.ScalarAsync<Guid>("SELECT id FROM vendors WHERE phone = @p", ("p", vendorPhone));
        return (await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 8)), await fixture.LoginAsync(vendorPhone), vendorId);
    }

    private static async Task AssertHiddenFromAsync(HttpClient vendor, Guid orderId)
    {
        using var detail = await vendor.GetAsync($"/api/v1/orders/{orderId}");
        using var status = await vendor.GetAsync($"/api/v1/orders/{orderId}/status");
        using var move = await vendor.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "accepted" });
        var page = await vendor.GetFromJsonAsync<JsonElement>("/api/v1/orders?limit=100");

        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.DoesNotContain(PrivateNotes, await detail.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, move.StatusCode);
        Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetGuid() == orderId);
    }
}
