using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Intake;

[Collection(AppCollection.Name)]
public sealed class StatusChangeTests(KhaachoAppFixture fixture)
{
    private const string AdminPhone = "+9779800000001";

    [Fact]
    public async Task An_order_walks_its_whole_lifecycle_with_each_role_doing_its_part_and_a_history_row_per_move()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        using var vendor = await fixture.LoginAsync(ApiClient.DemoPhone("vendors", 0));
        using var admin = await fixture.LoginAsync(AdminPhone);
        var orderId = await SubmitForFirstVendorAsync(retailer);

        // The pipeline's steps, done by hand by an admin until the workers exist.
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(admin, orderId, "validated"));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(admin, orderId, "confirmed"));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(vendor, orderId, "accepted"));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(vendor, orderId, "dispatched"));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(vendor, orderId, "delivered"));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(retailer, orderId, "completed", "all received"));

        var order = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        var history = order.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()).ToList();
        Assert.Equal(["received", "validated", "confirmed", "accepted", "dispatched", "delivered", "completed"], history);
        Assert.Equal("all received", order.GetProperty("history")[6].GetProperty("reason").GetString());
        Assert.Equal("completed", order.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Moves_outside_a_role_or_the_state_machine_are_refused()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        using var otherRetailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 4));
        using var admin = await fixture.LoginAsync(AdminPhone);
        var orderId = await SubmitForFirstVendorAsync(retailer);

        Assert.Equal(HttpStatusCode.Forbidden, await MoveAsync(retailer, orderId, "dispatched"));
        Assert.Equal(HttpStatusCode.Conflict, await MoveAsync(admin, orderId, "delivered"));
        Assert.Equal(HttpStatusCode.BadRequest, await MoveAsync(admin, orderId, "shipped"));
        Assert.Equal(HttpStatusCode.NotFound, await MoveAsync(otherRetailer, orderId, "cancelled"));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(retailer, orderId, "cancelled"));
        Assert.Equal(HttpStatusCode.Conflict, await MoveAsync(admin, orderId, "validated"));
    }

    [Fact]
    public async Task A_vendor_does_not_see_an_order_before_it_is_routed_to_it()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        using var vendor = await fixture.LoginAsync(ApiClient.DemoPhone("vendors", 0));
        var orderId = await SubmitForFirstVendorAsync(retailer);

        Assert.Equal(HttpStatusCode.NotFound, await MoveAsync(vendor, orderId, "accepted"));
    }

    private static async Task<Guid> SubmitForFirstVendorAsync(HttpClient retailer)
    {
        var vendors = await retailer.GetFromJsonAsync<JsonElement>("/api/v1/vendors");
        var vendorId = vendors.EnumerateArray().Single(v => v.GetProperty("code").GetString() == "V001").GetProperty("id").GetGuid();
        using var response = await retailer.PostAsync("/api/v1/orders",
            ApiClient.Json($$"""{"vendorId":"{{vendorId}}","items":[{"productCode":"SUGAR-1KG","quantity":2}]}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
    }

    private static async Task<HttpStatusCode> MoveAsync(HttpClient client, Guid orderId, string status, string? reason = null)
    {
        using var response = await client.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status, reason });
        return response.StatusCode;
    }
}
