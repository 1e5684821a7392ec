using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Core.Credit;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Credit;

/// <summary>What the khata tests do through the api: read credit, pay, reverse, order and walk an order to delivery.</summary>
public static class Khata
{
    public const string Product = "ATTA-5KG";

    public static string Today => NepalTime.DayOf(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Order(int quantity) => $$"""{"items":[{"productCode":"{{Product}}","quantity":{{quantity}}}]}""";

    public static async Task<JsonElement> CreditAsync(this HttpClient client, Guid retailerId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/retailers/{retailerId}/credit");

    public static Task<HttpResponseMessage> PayAsync(this HttpClient staff, Guid retailerId, decimal amount, string reference, string method = "cash", string? receivedOn = null) =>
        staff.PostAsJsonAsync($"/api/v1/retailers/{retailerId}/payments", new { amount, method, reference, receivedOn = receivedOn ?? Today });

    public static Task<HttpResponseMessage> ReverseAsync(this HttpClient staff, Guid retailerId, Guid paymentId, string reason = "cheque bounced") =>
        staff.PostAsJsonAsync($"/api/v1/retailers/{retailerId}/payments/{paymentId}/reversal", new { reason });

    /// <summary>Submits and waits until the pipeline has decided: the order's status JSON.</summary>
    public static async Task<(Guid Id, JsonElement Status)> PlaceAsync(this HttpClient retailer, int quantity)
    {
        var id = await retailer.SubmitAsync(Order(quantity));
        return (id, await retailer.WaitForStatusAsync(id, "confirmed", "failed", "awaiting_review"));
    }

    /// <summary>Accepted, dispatched and delivered by the vendor the order was routed to.</summary>
    public static async Task DeliverAsync(this KhaachoAppFixture fixture, JsonElement confirmed)
    {
        var orderId = confirmed.GetProperty("orderId").GetGuid();
        var vendorPhone = await fixture.ScalarAsync<string>("SELECT phone FROM vendors WHERE id = @v", ("v", confirmed.GetProperty("result").GetProperty("vendorId").GetGuid()));
        using var vendor = await fixture.LoginAsync(vendorPhone);
        foreach (var status in (string[])["accepted", "dispatched", "delivered"])
        {
            using var response = await vendor.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public static decimal Decimal(this JsonElement element, string property) => element.GetProperty(property).GetDecimal();

    /// <summary>available = limit − outstanding − reserved, as the api reports it.</summary>
    public static void AssertAddsUp(JsonElement credit) =>
        Assert.Equal(credit.Decimal("creditLimit") - credit.Decimal("outstanding") - credit.Decimal("reserved"), credit.Decimal("availableCredit"));
}
