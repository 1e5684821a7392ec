using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>
/// A whole order through the local sandbox, as a newcomer does it: the retailer writes, reads the read-back, confirms;
/// the vendor gets the order (a template: they never wrote) and accepts. Once through the sandbox's JSON API, once
/// through its page in Chromium.
/// </summary>
[Collection(SandboxAppCollection.Name)]
public sealed partial class SandboxOrderTests(SandboxAppFixture fixture)
{
    [Fact]
    public async Task Through_the_JSON_API_a_chat_order_is_read_back_confirmed_and_accepted_by_its_vendor()
    {
        using var sandbox = fixture.Sandbox();
        var retailer = ApiClient.DemoPhone("retailers", 2);
        using (var sent = await sandbox.PostAsJsonAsync("/api/inbound", new { from = retailer, text = "chini 2 bora, wai wai 3 carton" }))
            Assert.Equal(200, (int)sent.StatusCode);

        var readBack = await OutboundWithChoicesAsync(sandbox, retailer);
        Assert.Matches(Amount(), readBack.GetProperty("text").GetString()!);
        Assert.Contains("१३%", readBack.GetProperty("text").GetString()); // Nepali, the retailers' default
        var confirm = readBack.GetProperty("buttons")[0].GetProperty("id").GetString()!;
        Assert.StartsWith("confirm:", confirm);
        using (await sandbox.PostAsJsonAsync("/api/inbound", new { from = retailer, reply = confirm })) { }

        var orderId = await LatestOrderAsync(retailer, "confirmed");
        var vendor = await fixture.ScalarAsync<string>("SELECT v.phone FROM orders o JOIN vendors v ON v.id = o.vendor_id WHERE o.id = @id", ("id", orderId));
        var offer = await OutboundWithChoicesAsync(sandbox, vendor, m => m.GetProperty("buttons").EnumerateArray().Any(b => b.GetProperty("id").GetString() == $"accept:{orderId}"));
        Assert.Equal("khaacho_new_order", offer.GetProperty("template").GetString());
        using (await sandbox.PostAsJsonAsync("/api/inbound", new { from = vendor, reply = $"accept:{orderId}" })) { }
        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<string>("SELECT status FROM orders WHERE id = @id", ("id", orderId)) == "accepted",
            what: "the order accepted by the vendor's tap");
    }

    [Fact]
    public async Task In_the_browser_a_retailer_confirms_and_the_vendor_accepts()
    {
        var browser = new SandboxBrowser();
        await browser.InitializeAsync();
        try
        {
            var page = await browser.OpenAsync(fixture.SandboxUrl.ToString());
            var retailerPhone = ApiClient.DemoPhone("retailers", 1);
            var shop = await fixture.ScalarAsync<string>("SELECT shop_name FROM retailers WHERE phone = @p", ("p", retailerPhone));
            await page.PickPhoneAsync(shop);
            await page.SendTextAsync("chini 3 bora, wai wai 5 carton");
            await page.BubbleAsync("भ्याट");
            await page.TapAsync("हो, पक्का");
            await page.BubbleAsync("ORD-");

            var orderId = await LatestOrderAsync(retailerPhone, "confirmed");
            var vendor = await fixture.ScalarAsync<string>("SELECT v.name FROM orders o JOIN vendors v ON v.id = o.vendor_id WHERE o.id = @id", ("id", orderId));
            await page.PickPhoneAsync(vendor);
            await page.BubbleAsync((await fixture.ScalarAsync<string>("SELECT order_number FROM orders WHERE id = @id", ("id", orderId))));
            await page.TapAsync("Accept");
            await Eventually.UntilAsync(async () => await fixture.ScalarAsync<string>("SELECT status FROM orders WHERE id = @id", ("id", orderId)) == "accepted",
                what: "the order accepted in the browser");
            await page.BubbleAsync("accepted");
            await page.PickPhoneAsync(shop);
            await page.BubbleAsync("accepted by the vendor");
            var path = await page.ScreenshotAsync("whatsapp-sandbox.png");
            Assert.True(new FileInfo(path).Length > 10_000, "the screenshot is empty");
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    private async Task<Guid> LatestOrderAsync(string retailer, string status)
    {
        Guid id = default;
        await Eventually.UntilAsync(async () =>
        {
            var rows = await fixture.ColumnAsync<Guid>(
                "SELECT id FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p) AND status = @s ORDER BY created_at DESC LIMIT 1", ("p", retailer), ("s", status));
            id = rows.FirstOrDefault();
            return id != default;
        }, what: $"an order of {retailer} {status}");
        return id;
    }

    private static async Task<JsonElement> OutboundWithChoicesAsync(HttpClient sandbox, string phone, Func<JsonElement, bool>? which = null)
    {
        JsonElement found = default;
        await Eventually.UntilAsync(async () =>
        {
            var conversation = await sandbox.GetFromJsonAsync<JsonElement>($"/api/conversations/{Uri.EscapeDataString(phone)}");
            found = conversation.EnumerateArray().LastOrDefault(m => m.GetProperty("direction").GetString() == "out"
                && m.TryGetProperty("buttons", out var b) && b.ValueKind == JsonValueKind.Array && b.GetArrayLength() >= 2 && (which?.Invoke(m) ?? true));
            return found.ValueKind == JsonValueKind.Object;
        }, what: $"a message with buttons to {phone}");
        return found;
    }

    [GeneratedRegex(@"[0-9][0-9,]*\.[0-9]{2}")]
    private static partial Regex Amount();
}
