using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>What the business sends comes back as Meta's statuses callbacks: the window, faults and read receipts included.</summary>
public sealed class SandboxStatusCallbackTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    [Fact]
    public async Task Inside_the_window_a_text_goes_sent_then_delivered_then_read_when_shown_each_echoing_the_callback_data()
    {
        const string phone = "+9779811000201";
        await sandbox.InboundAsync(new { from = phone, text = "status" });
        var id = await sandbox.SendOkAsync(SandboxHost.Text(phone, "Order ORD-7 is on its way", callbackData: "notification-7"));

        await Eventually.UntilAsync(() => sandbox.Webhook.Statuses(id).Count() == 2, seconds: 10, what: "sent and delivered");
        using var read = await sandbox.Client.PostAsync($"/api/conversations/{Uri.EscapeDataString(phone)}/read", null);
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        await Eventually.UntilAsync(() => sandbox.Webhook.Statuses(id).Count() == 3, seconds: 10, what: "read");

        var statuses = sandbox.Webhook.Statuses(id).ToList();
        Assert.Equal(["sent", "delivered", "read"], statuses.Select(s => s.GetProperty("status").GetString()));
        Assert.All(statuses, s =>
        {
            Assert.Equal("notification-7", s.GetProperty("biz_opaque_callback_data").GetString());
            Assert.Equal("9779811000201", s.GetProperty("recipient_id").GetString());
            Assert.Matches("^[0-9]{10}$", s.GetProperty("timestamp").GetString());
            Assert.False(s.TryGetProperty("errors", out _));
        });
        Assert.All(sandbox.Webhook.Deliveries.Where(d => d.Status?.GetProperty("id").GetString() == id), d => Assert.True(d.Verified));
        Assert.Equal("read", (await sandbox.ConversationAsync(phone)).EnumerateArray().Single(m => m.GetProperty("id").GetString() == id).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Free_text_to_a_contact_who_never_wrote_is_accepted_then_failed_with_131047_and_a_template_goes()
    {
        const string phone = "+9779811000202";
        var text = await sandbox.SendOkAsync(SandboxHost.Text(phone, "New order for you", callbackData: "notification-8"));
        var template = await sandbox.SendOkAsync(SandboxHost.Template(phone, "khaacho_new_order", "en", ["ORD-8", "Sharma Kirana Pasal", "Sugar 50kg x 2", "5,650.00"], callbackData: "notification-9"));

        await Eventually.UntilAsync(() => sandbox.Webhook.Statuses(text).Any() && sandbox.Webhook.Statuses(template).Count() == 2, seconds: 10, what: "callbacks");
        var failed = Assert.Single(sandbox.Webhook.Statuses(text));
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("notification-8", failed.GetProperty("biz_opaque_callback_data").GetString());
        var error = Assert.Single(failed.GetProperty("errors").EnumerateArray());
        Assert.Equal(131047, error.GetProperty("code").GetInt32());
        Assert.Equal("Re-engagement message", error.GetProperty("title").GetString());
        Assert.Equal(["sent", "delivered"], sandbox.Webhook.Statuses(template).Select(s => s.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_contact_who_last_wrote_25_hours_ago_is_outside_the_window()
    {
        const string phone = "+9779811000203";
        await sandbox.InboundAsync(new { from = phone, text = "hello" });
        await sandbox.SetLastInboundAsync(phone, DateTimeOffset.UtcNow.AddHours(-25));

        var id = await sandbox.SendOkAsync(SandboxHost.Text(phone, "Your order was delivered"));

        await Eventually.UntilAsync(() => sandbox.Webhook.Statuses(id).Any(), seconds: 10, what: "failed callback");
        Assert.Equal(131047, Assert.Single(sandbox.Webhook.Statuses(id)).GetProperty("errors")[0].GetProperty("code").GetInt32());
        await sandbox.SetLastInboundAsync(phone, DateTimeOffset.UtcNow.AddHours(-23));
        var inside = await sandbox.SendOkAsync(SandboxHost.Text(phone, "Your order was delivered"));
        await Eventually.UntilAsync(() => sandbox.Webhook.Statuses(inside).Count() == 2, seconds: 10, what: "sent and delivered");
    }

    [Fact]
    public async Task An_injected_130429_refuses_the_next_send_with_Metas_rate_limit_error_then_sends_go_again()
    {
        const string phone = "+9779811000204";
        await sandbox.InboundAsync(new { from = phone, text = "hi" });
        using (var fault = await sandbox.Client.PostAsJsonAsync("/api/faults", new { code = 130429, count = 1 })) fault.EnsureSuccessStatusCode();

        using var limited = await sandbox.SendAsync(SandboxHost.Text(phone, "one"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var error = (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(130429, error.GetProperty("code").GetInt32());
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.Contains("throughput", error.GetProperty("error_data").GetProperty("details").GetString());

        await sandbox.SendOkAsync(SandboxHost.Text(phone, "two"));
        Assert.DoesNotContain((await sandbox.ConversationAsync(phone)).EnumerateArray(), m => m.GetProperty("text").GetString() == "one");
    }

    [Fact]
    public async Task An_injected_131026_is_accepted_then_failed_as_undeliverable_and_delete_clears_pending_faults()
    {
        const string phone = "+9779811000205";
        await sandbox.InboundAsync(new { from = phone, text = "hi" });
        using (var fault = await sandbox.Client.PostAsJsonAsync("/api/faults", new { code = 131026, count = 1 })) fault.EnsureSuccessStatusCode();

        var id = await sandbox.SendOkAsync(SandboxHost.Text(phone, "undeliverable"));
        await Eventually.UntilAsync(() => sandbox.Webhook.Statuses(id).Any(), seconds: 10, what: "failed callback");
        Assert.Equal(131026, Assert.Single(sandbox.Webhook.Statuses(id)).GetProperty("errors")[0].GetProperty("code").GetInt32());

        using (var fault = await sandbox.Client.PostAsJsonAsync("/api/faults", new { code = 130429, count = 5 })) fault.EnsureSuccessStatusCode();
        using (var cleared = await sandbox.Client.DeleteAsync("/api/faults")) Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        await sandbox.SendOkAsync(SandboxHost.Text(phone, "goes"));
    }

    [Fact]
    public async Task A_fault_code_the_sandbox_cannot_play_is_400()
    {
        using var response = await sandbox.Client.PostAsJsonAsync("/api/faults", new { code = 42, count = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
