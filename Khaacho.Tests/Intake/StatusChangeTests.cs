using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Intake;

[Collection(AppCollection.Name)]
public sealed class StatusChangeTests(KhaachoAppFixture fixture)
{
    private const string AdminPhone = "+9779800000001";
    private const string Order = """{"items":[{"productCode":"SUGAR-1KG","quantity":2}]}""";

    [Fact]
    public async Task A_confirmed_order_walks_the_rest_of_its_lifecycle_with_each_role_doing_its_part()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        var orderId = await retailer.SubmitAsync(Order);
        using var vendor = await fixture.LoginAsync(await RoutedVendorPhoneAsync(retailer, orderId));

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
        var orderId = await retailer.SubmitAsync(Order);
        await retailer.WaitForStatusAsync(orderId, "confirmed", "failed");

        Assert.Equal(HttpStatusCode.Forbidden, await MoveAsync(retailer, orderId, "dispatched"));
        Assert.Equal(HttpStatusCode.Forbidden, await MoveAsync(admin, orderId, "validated"));
        Assert.Equal(HttpStatusCode.Conflict, await MoveAsync(admin, orderId, "delivered"));
        Assert.Equal(HttpStatusCode.BadRequest, await MoveAsync(admin, orderId, "shipped"));
        Assert.Equal(HttpStatusCode.NotFound, await MoveAsync(otherRetailer, orderId, "cancelled"));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(retailer, orderId, "cancelled"));
        Assert.Equal(HttpStatusCode.Conflict, await MoveAsync(admin, orderId, "accepted"));
    }

    [Fact]
    public async Task A_vendor_cannot_see_or_move_an_order_routed_to_another_vendor()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        var orderId = await retailer.SubmitAsync(Order);
        var routed = await RoutedVendorPhoneAsync(retailer, orderId);
        var other = await fixture.ScalarAsync<string>("SELECT phone FROM vendors WHERE phone <> @p ORDER BY code LIMIT 1", ("p", routed));
        using var vendor = await fixture.LoginAsync(other);

        Assert.Equal(HttpStatusCode.NotFound, await MoveAsync(vendor, orderId, "accepted"));
        using var status = await vendor.GetAsync($"/api/v1/orders/{orderId}/status");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task A_retailer_cannot_cancel_an_order_once_it_is_dispatched_or_delivered()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        var orderId = await retailer.SubmitAsync(Order);
        using var vendor = await fixture.LoginAsync(await RoutedVendorPhoneAsync(retailer, orderId));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(vendor, orderId, "accepted"));
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(vendor, orderId, "dispatched"));

        using var whileDispatched = await retailer.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "cancelled" });
        Assert.Equal(HttpStatusCode.OK, await MoveAsync(vendor, orderId, "delivered"));
        var whileDelivered = await MoveAsync(retailer, orderId, "cancelled");

        Assert.Equal(HttpStatusCode.Forbidden, whileDispatched.StatusCode);
        Assert.Equal("application/problem+json", whileDispatched.Content.Headers.ContentType?.MediaType);
        Assert.Contains("dispatched", (await whileDispatched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, whileDelivered);
        Assert.Equal("delivered", (await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_a_retailer_cancels_a_confirmed_or_accepted_order_the_vendor_is_told(bool acceptedFirst)
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 3));
        var orderId = await retailer.SubmitAsync(Order);
        using var vendor = await fixture.LoginAsync(await RoutedVendorPhoneAsync(retailer, orderId));
        if (acceptedFirst) Assert.Equal(HttpStatusCode.OK, await MoveAsync(vendor, orderId, "accepted"));

        Assert.Equal(HttpStatusCode.OK, await MoveAsync(retailer, orderId, "cancelled", "ordered twice by mistake"));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement cancelled;
        do
        {
            var notifications = await vendor.GetFromJsonAsync<JsonElement>($"/api/v1/notifications?orderId={orderId}");
            cancelled = notifications.EnumerateArray().FirstOrDefault(n => n.GetProperty("kind").GetString() == "order_cancelled");
            if (cancelled.ValueKind == JsonValueKind.Object) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(JsonValueKind.Object, cancelled.ValueKind);
        Assert.Contains("ordered twice by mistake", cancelled.GetProperty("message").GetString());
    }

    private async Task<string> RoutedVendorPhoneAsync(HttpClient retailer, Guid orderId)
    {
        var status = await retailer.WaitForStatusAsync(orderId, "confirmed", "failed");
        Assert.Equal("confirmed", status.GetProperty("orderStatus").GetString());
        var vendorId = status.GetProperty("result").GetProperty("vendorId").GetGuid();
        return await fixture.ScalarAsync<string>("SELECT phone FROM vendors WHERE id = @v", ("v", vendorId));
    }

    private static async Task<HttpStatusCode> MoveAsync(HttpClient client, Guid orderId, string status, string? reason = null)
    {
        using var response = await client.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status, reason });
        return response.StatusCode;
    }
}
