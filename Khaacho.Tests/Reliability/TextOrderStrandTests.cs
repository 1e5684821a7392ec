using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Reliability;

/// <summary>Issue 12, finding 4: a text order never stays pending, whatever its text does to the parser.</summary>
[Collection(AppCollection.Name)]
public sealed class TextOrderStrandTests(KhaachoAppFixture fixture)
{
    [Theory]
    [InlineData("chini 99999999999 bora")]
    [InlineData("chini 3 bora, wai wai 5 carton, chini 99999999999999999999 bora")]
    public async Task A_text_order_ends_answered_or_failed_with_a_reason_never_pending(string text)
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 4));
        var orderId = await retailer.SubmitAsync(System.Text.Json.JsonSerializer.Serialize(new { text }));

        var status = await retailer.WaitForStatusAsync(orderId, "failed", "needs_clarification", "confirmed");

        var orderStatus = status.GetProperty("orderStatus").GetString();
        Assert.Contains(orderStatus, new[] { "failed", "needs_clarification", "confirmed" });
        if (orderStatus != "confirmed") Assert.False(string.IsNullOrWhiteSpace(status.GetProperty("error").GetProperty("message").GetString()));
    }
}
