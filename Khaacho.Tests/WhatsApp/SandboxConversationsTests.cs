using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>The JSON API the page, the tests and scripts read: conversations in order, and the demo phones.</summary>
public sealed class SandboxConversationsTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    [Fact]
    public async Task A_conversation_lists_both_directions_in_order_with_buttons_options_and_filled_in_templates()
    {
        const string phone = "+9779811000301";
        await sandbox.InboundAsync(new { from = phone, text = "chini 2 bora" });
        await sandbox.SendOkAsync(SandboxHost.Buttons(phone, "Total Rs 5,650.00", ("confirm:3", "Confirm"), ("cancel:3", "Cancel")));
        await sandbox.SendOkAsync(SandboxHost.List(phone, "Which sugar?", ("sugar:50", "Sugar 50kg", "Rs 4,500")));
        await sandbox.SendOkAsync(SandboxHost.Template(phone, "khaacho_new_order", "ne", ["ORD-9", "Sharma Kirana Pasal", "Sugar 50kg x 2", "5,650.00"], ["accept:ORD-9", "reject:ORD-9"]));
        await sandbox.SendOkAsync(SandboxHost.Template(phone, "unknown_template", "en", ["a", "b"]));

        var messages = (await sandbox.ConversationAsync(phone)).EnumerateArray().ToList();

        Assert.Equal(5, messages.Count);
        foreach (var message in messages)
        {
            foreach (var field in new[] { "id", "direction", "type", "text", "buttons", "options", "template", "timestamp", "status" })
                Assert.True(message.TryGetProperty(field, out _), $"no {field} in {message}");
        }
        Assert.Equal(["in", "out", "out", "out", "out"], messages.Select(m => m.GetProperty("direction").GetString()));
        Assert.Equal(["text", "interactive", "interactive", "template", "template"], messages.Select(m => m.GetProperty("type").GetString()));
        Assert.Equal("200", messages[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, messages[0].GetProperty("buttons").ValueKind);
        Assert.Equal(JsonValueKind.Null, messages[0].GetProperty("template").ValueKind);
        Assert.Equal([("confirm:3", "Confirm"), ("cancel:3", "Cancel")], Choices(messages[1].GetProperty("buttons")));
        Assert.Equal(JsonValueKind.Null, messages[1].GetProperty("options").ValueKind);
        Assert.Equal([("sugar:50", "Sugar 50kg")], Choices(messages[2].GetProperty("options")));
        Assert.Equal("khaacho_new_order", messages[3].GetProperty("template").GetString());
        Assert.Equal("नयाँ अर्डर ORD-9, Sharma Kirana Pasal बाट: Sugar 50kg x 2। जम्मा रु 5,650.00।", messages[3].GetProperty("text").GetString());
        Assert.Equal([("accept:ORD-9", "स्वीकार"), ("reject:ORD-9", "अस्वीकार")], Choices(messages[3].GetProperty("buttons")));
        Assert.Equal("unknown_template: a | b", messages[4].GetProperty("text").GetString());
        var timestamps = messages.Select(m => m.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(timestamps.Order(), timestamps);
        await Eventually.UntilAsync(async () => (await sandbox.ConversationAsync(phone))[1].GetProperty("status").GetString() == "delivered", seconds: 10, what: "delivered");
    }

    [Fact]
    public async Task A_phone_with_no_messages_is_an_empty_array()
    {
        var messages = await sandbox.ConversationAsync("+9779811000399");

        Assert.Equal(0, messages.GetArrayLength());
    }

    [Fact]
    public async Task Contacts_are_every_demo_retailer_and_vendor_and_one_unknown_number()
    {
        var contacts = await sandbox.Client.GetFromJsonAsync<JsonElement>("/api/contacts");
        using var catalogue = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot.Path, "Khaacho.Worker/Database/Seed/catalog.json")));

        var byRole = contacts.EnumerateArray().GroupBy(c => c.GetProperty("role").GetString()!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(catalogue.RootElement.GetProperty("retailers").EnumerateArray().Select(r => r.GetProperty("phone").GetString()), byRole["retailer"].Select(c => c.GetProperty("phone").GetString()));
        Assert.Equal(catalogue.RootElement.GetProperty("vendors").EnumerateArray().Select(v => v.GetProperty("name").GetString()), byRole["vendor"].Select(c => c.GetProperty("name").GetString()));
        var unknown = Assert.Single(byRole["unknown"]);
        Assert.DoesNotContain(unknown.GetProperty("phone").GetString()!, catalogue.RootElement.GetRawText());
    }

    private static List<(string, string)> Choices(JsonElement choices) =>
        [.. choices.EnumerateArray().Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("title").GetString()!))];
}
