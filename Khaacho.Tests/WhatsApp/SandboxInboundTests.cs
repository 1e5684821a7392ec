using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>What a contact writes reaches the webhook exactly in Meta's envelope, for every kind the api must handle.</summary>
public sealed class SandboxInboundTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    [Fact]
    public async Task Text_is_posted_in_Metas_envelope_and_inbound_answers_the_webhooks_status_with_the_wamid()
    {
        const string phone = "+9779865857931"; // Sharma Kirana Pasal, a demo retailer
        using var answer = await sandbox.InboundAsync(new { from = phone, text = "chini 3 bora, wai wai 5 carton" });
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var delivery = Assert.Single(sandbox.Webhook.Messages("9779865857931"));
        var root = delivery.Json;
        Assert.Equal("whatsapp_business_account", root.GetProperty("object").GetString());
        var entry = Assert.Single(root.GetProperty("entry").EnumerateArray());
        Assert.Equal("100000000000002", entry.GetProperty("id").GetString());
        var change = Assert.Single(entry.GetProperty("changes").EnumerateArray());
        Assert.Equal("messages", change.GetProperty("field").GetString());
        var value = change.GetProperty("value");
        Assert.Equal("whatsapp", value.GetProperty("messaging_product").GetString());
        Assert.Equal(SandboxHost.PhoneNumberId, value.GetProperty("metadata").GetProperty("phone_number_id").GetString());
        Assert.Matches("^[0-9]+$", value.GetProperty("metadata").GetProperty("display_phone_number").GetString());
        var contact = Assert.Single(value.GetProperty("contacts").EnumerateArray());
        Assert.Equal("9779865857931", contact.GetProperty("wa_id").GetString());
        Assert.Equal("Sharma Kirana Pasal", contact.GetProperty("profile").GetProperty("name").GetString());
        var message = Assert.Single(value.GetProperty("messages").EnumerateArray());
        Assert.Equal("9779865857931", message.GetProperty("from").GetString());
        Assert.StartsWith("wamid.", message.GetProperty("id").GetString());
        Assert.Equal(body.GetProperty("id").GetString(), message.GetProperty("id").GetString());
        Assert.InRange(long.Parse(message.GetProperty("timestamp").GetString()!), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal("text", message.GetProperty("type").GetString());
        Assert.Equal("chini 3 bora, wai wai 5 carton", message.GetProperty("text").GetProperty("body").GetString());
        Assert.Equal(200, body.GetProperty("webhookStatus").GetInt32());
    }

    [Fact]
    public async Task A_tapped_reply_button_is_an_interactive_button_reply_with_the_title_and_the_offering_message_as_context()
    {
        const string phone = "+9779811000011";
        var offer = await sandbox.SendOkAsync(SandboxHost.Buttons(phone, "Total Rs 5,650.00. Place the order?", ("confirm:1", "Confirm"), ("cancel:1", "Cancel")));

        using var answer = await sandbox.InboundAsync(new { from = phone, reply = "confirm:1" });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var message = Assert.Single(sandbox.Webhook.Messages("9779811000011")).Message!.Value;
        Assert.Equal("interactive", message.GetProperty("type").GetString());
        var interactive = message.GetProperty("interactive");
        Assert.Equal("button_reply", interactive.GetProperty("type").GetString());
        Assert.Equal("confirm:1", interactive.GetProperty("button_reply").GetProperty("id").GetString());
        Assert.Equal("Confirm", interactive.GetProperty("button_reply").GetProperty("title").GetString());
        Assert.Equal(offer, message.GetProperty("context").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_chosen_list_row_is_an_interactive_list_reply_with_title_and_description()
    {
        const string phone = "+9779811000012";
        await sandbox.SendOkAsync(SandboxHost.List(phone, "Which oil?", ("oil:sun", "Sunflower Oil 1L", "Rs 280 a bottle"), ("oil:mustard", "Mustard Oil 1L", "Rs 310 a bottle")));

        using var answer = await sandbox.InboundAsync(new { from = phone, reply = "oil:mustard" });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var reply = Assert.Single(sandbox.Webhook.Messages("9779811000012")).Message!.Value.GetProperty("interactive");
        Assert.Equal("list_reply", reply.GetProperty("type").GetString());
        Assert.Equal("oil:mustard", reply.GetProperty("list_reply").GetProperty("id").GetString());
        Assert.Equal("Mustard Oil 1L", reply.GetProperty("list_reply").GetProperty("title").GetString());
        Assert.Equal("Rs 310 a bottle", reply.GetProperty("list_reply").GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_tapped_template_quick_reply_is_a_button_message_with_the_payload_the_send_gave_it()
    {
        const string phone = "+9779811000013";
        await sandbox.SendOkAsync(SandboxHost.Template(phone, "khaacho_new_order", "en", ["ORD-1042", "Sharma Kirana Pasal", "Sugar 50kg x 2", "5,650.00"], ["accept:ORD-1042", "reject:ORD-1042"]));

        using var answer = await sandbox.InboundAsync(new { from = phone, reply = "accept:ORD-1042" });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var message = Assert.Single(sandbox.Webhook.Messages("9779811000013")).Message!.Value;
        Assert.Equal("button", message.GetProperty("type").GetString());
        Assert.Equal("accept:ORD-1042", message.GetProperty("button").GetProperty("payload").GetString());
        Assert.Equal("Accept", message.GetProperty("button").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_reply_id_no_message_offered_is_400_problem_json_and_nothing_is_posted()
    {
        const string phone = "+9779811000014";
        await sandbox.SendOkAsync(SandboxHost.Buttons(phone, "Place the order?", ("confirm:2", "Confirm")));

        using var answer = await sandbox.InboundAsync(new { from = phone, reply = "confirm:999" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("confirm:999", await answer.Content.ReadAsStringAsync());
        Assert.Empty(sandbox.Webhook.Messages("9779811000014"));
    }

    [Theory]
    [InlineData("image", "mime_type")]
    [InlineData("audio", "mime_type")]
    [InlineData("location", "latitude")]
    [InlineData("reaction", "message_id")]
    public async Task Kinds_Khaacho_does_not_read_arrive_with_Metas_fields(string kind, string field)
    {
        var phone = $"+97798110001{Array.IndexOf(["image", "audio", "location", "reaction"], kind)}0";
        await sandbox.SendOkAsync(SandboxHost.Text(phone, "Namaste"));

        using var answer = await sandbox.InboundAsync(new { from = phone, kind });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var message = Assert.Single(sandbox.Webhook.Messages(phone.TrimStart('+'))).Message!.Value;
        Assert.Equal(kind, message.GetProperty("type").GetString());
        Assert.True(message.GetProperty(kind).TryGetProperty(field, out _), $"{kind} has no {field}: {message}");
        if (kind is "image" or "audio") Assert.Matches("^[0-9a-f]{64}$", message.GetProperty(kind).GetProperty("sha256").GetString());
        if (kind == "reaction") Assert.StartsWith("wamid.", message.GetProperty("reaction").GetProperty("message_id").GetString());
    }

    [Theory]
    [InlineData("""{"from":"9779811000020","text":"no plus"}""")]
    [InlineData("""{"from":"+9779811000020"}""")]
    [InlineData("""{"from":"+9779811000020","text":"a","reply":"b"}""")]
    [InlineData("""{"from":"+9779811000020","kind":"sticker"}""")]
    public async Task Malformed_inbound_requests_are_400_problem_json(string json)
    {
        using var answer = await sandbox.Client.PostAsync("/api/inbound", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_with_the_same_wamid_and_the_message_shows_each_answer()
    {
        const string phone = "+9779811000030";
        sandbox.Webhook.AnswerNext("9779811000030", 500, 503);

        using var answer = await sandbox.InboundAsync(new { from = phone, text = "mero order" });

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        var id = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Eventually.UntilAsync(() => sandbox.Webhook.Messages("9779811000030").Count() == 3, seconds: 10, what: "two retries");
        Assert.All(sandbox.Webhook.Messages("9779811000030"), d => Assert.Equal(id, d.Message!.Value.GetProperty("id").GetString()));
        Assert.Single(sandbox.Webhook.Messages("9779811000030").Select(d => Convert.ToBase64String(d.Body)).Distinct());
        JsonElement shown = default;
        await Eventually.UntilAsync(async () => (shown = (await sandbox.ConversationAsync(phone))[0]).GetProperty("status").GetString() == "200", seconds: 5, what: "status 200");
        Assert.Equal(3, shown.GetProperty("attempts").GetInt32());
    }
}
