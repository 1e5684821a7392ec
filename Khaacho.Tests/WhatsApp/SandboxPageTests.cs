using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>A sandbox whose webhook answers like a tiny Khaacho: a read-back with Confirm and Cancel, then a confirmation.</summary>
public sealed class ReplyingSandbox : SandboxHost
{
    public ReplyingSandbox() => Webhook.OnMessage = ReplyAsync;

    private async Task ReplyAsync(JsonElement message)
    {
        var phone = "+" + message.GetProperty("from").GetString();
        var reply = message.GetProperty("type").GetString() switch
        {
            "text" => Buttons(phone, $"You asked for: {message.GetProperty("text").GetProperty("body").GetString()}\nTotal Rs 5,650.00 (VAT 13% included). Place the order?",
                ("confirm:ORD-1", "Confirm"), ("cancel:ORD-1", "Cancel")),
            "interactive" when message.GetProperty("interactive").GetProperty("button_reply").GetProperty("id").GetString() == "confirm:ORD-1" =>
                Text(phone, "Order ORD-1 placed. We will tell you when the vendor accepts."),
            _ => Text(phone, "Cancelled: nothing was ordered."),
        };
        await SendOkAsync(reply);
    }
}

public sealed class SandboxPageTests(ReplyingSandbox sandbox, SandboxBrowser browser) : IClassFixture<ReplyingSandbox>, IClassFixture<SandboxBrowser>
{
    [Fact]
    public async Task A_retailer_types_an_order_sees_the_read_back_with_buttons_taps_Confirm_and_sees_the_answer()
    {
        var page = await browser.OpenAsync(sandbox.BaseUrl);

        await page.PickPhoneAsync("Sharma Kirana Pasal");
        await page.SendTextAsync("chini 3 bora, wai wai 5 carton");

        var readBack = await page.BubbleAsync("Place the order?");
        await page.WaitForTicksAsync(readBack, "read");
        await page.TapAsync("Confirm");
        await page.BubbleAsync("Order ORD-1 placed");
        var path = await page.ScreenshotAsync("whatsapp-sandbox-page-alone.png");

        var tap = sandbox.Webhook.Messages("9779865857931").Select(d => d.Message!.Value).Single(m => m.GetProperty("type").GetString() == "interactive");
        Assert.Equal("confirm:ORD-1", tap.GetProperty("interactive").GetProperty("button_reply").GetProperty("id").GetString());
        var conversation = (await sandbox.ConversationAsync("+9779865857931")).EnumerateArray().ToList();
        Assert.Equal(["in", "out", "in", "out"], conversation.Select(m => m.GetProperty("direction").GetString()));
        Assert.Equal("chini 3 bora, wai wai 5 carton", conversation[0].GetProperty("text").GetString());
        Assert.True(new FileInfo(path).Length > 10_000, "the screenshot is empty");
    }

    [Fact]
    public async Task The_page_lists_every_demo_retailer_and_vendor_and_an_unknown_number()
    {
        var page = await browser.OpenAsync(sandbox.BaseUrl);
        var contacts = await sandbox.Client.GetFromJsonAsync<JsonElement>("/api/contacts");

        var phones = page.Page.GetByRole(Microsoft.Playwright.AriaRole.Navigation, new() { Name = "Phones" }).GetByRole(Microsoft.Playwright.AriaRole.Button);
        Assert.Equal(contacts.GetArrayLength(), await phones.CountAsync());
        await page.PickPhoneAsync("Unknown number");
    }
}
