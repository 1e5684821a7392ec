using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>
/// The WhatsApp channel end to end, as Meta drives it: signed webhook deliveries into the api, answers out through the
/// Graph API (the stub), orders through the same intake and pipeline as the REST api.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WhatsAppChatTests(KhaachoAppFixture fixture)
{
    private readonly MetaWebhook meta = new(fixture);
    private static string Retailer => ApiClient.DemoPhone("retailers", 7);

    [Fact]
    public async Task The_handshake_echoes_the_challenge_only_for_the_right_verify_token()
    {
        using var client = fixture.CreateHttpClient("api");
        using var right = await client.GetAsync($"{MetaWebhook.Path}?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("1158201444", await right.Content.ReadAsStringAsync());
        using var wrong = await client.GetAsync($"{MetaWebhook.Path}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=abc")]
    [InlineData("sha256=zz")]
    public async Task A_delivery_without_the_right_signature_is_refused_and_nothing_is_stored(string? signature)
    {
        var wamid = MetaWebhook.NewWamid();
        var body = MetaWebhook.Messages(Retailer, new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = "chini 2 bora" } }, wamid);
        using var response = await meta.SendAsync(body, signature);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM whatsapp_inbox WHERE id = @id", ("id", wamid)));
    }

    [Fact]
    public async Task A_signature_over_other_bytes_than_those_sent_is_refused()
    {
        var body = MetaWebhook.Messages(Retailer, new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = "chini 2 bora" } }, null);
        // The same JSON with one space more: equal as JSON, different as bytes.
        using var response = await meta.SendAsync(body.Replace("{\"object\"", "{ \"object\""), MetaWebhook.Sign(body));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_chat_order_is_read_back_with_prices_and_VAT_and_Confirm_places_it_once()
    {
        var wamid = MetaWebhook.NewWamid();
        var before = MetaWebhook.SentTo(fixture.WhatsApp, Retailer).Count;
        using (var first = await meta.TextAsync(Retailer, "chini 2 bora, wai wai 3 carton", wamid)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // Meta redelivers until it sees a 200: the same message again stores and answers nothing.
        using (var again = await meta.TextAsync(Retailer, "chini 2 bora, wai wai 3 carton", wamid))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        }
        var readBack = await NextMessageAsync(Retailer, before, IsReadBack);
        var text = MetaWebhook.TextOf(readBack);
        var quote = await QuoteAsync(text);
        Assert.Equal(Math.Round(quote.Subtotal * 0.13m, 2, MidpointRounding.AwayFromZero), quote.Vat);
        Assert.Equal(quote.Subtotal + quote.Vat, quote.Total);
        var choices = MetaWebhook.ChoicesOf(readBack);
        Assert.Equal(2, choices.Count);
        Assert.StartsWith("confirm:", choices[0]);
        await Task.Delay(500);
        Assert.Single(MetaWebhook.SentTo(fixture.WhatsApp, Retailer).Skip(before), IsReadBack);

        var ordersBefore = await OrderCountAsync();
        using (await meta.ButtonReplyAsync(Retailer, choices[0])) { }
        using (await meta.ButtonReplyAsync(Retailer, choices[0])) { } // a second tap places nothing more
        var placed = await NextMessageAsync(Retailer, before, m => MetaWebhook.TextOf(m) is var t && t.Contains("ORD-") && (t.Contains("placed") || t.Contains("गरियो")));
        Assert.Contains("ORD-", MetaWebhook.TextOf(placed));
        await Eventually.UntilAsync(async () => await OrderCountAsync() == ordersBefore + 1, what: "the order placed");
        await Task.Delay(1000);
        Assert.Equal(ordersBefore + 1, await OrderCountAsync());
        var total = await fixture.ScalarAsync<decimal>("SELECT total FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p) ORDER BY created_at DESC LIMIT 1", ("p", Retailer));
        await Eventually.UntilAsync(async () => await LatestStatusAsync() == "confirmed", what: "the chat order confirmed");
        Assert.Equal(quote.Total, await fixture.ScalarAsync<decimal>("SELECT total FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p) ORDER BY created_at DESC LIMIT 1", ("p", Retailer)));
        _ = total;
    }

    [Fact]
    public async Task Cancel_places_nothing()
    {
        await SetLanguageAsync(Retailer, "en");
        var before = MetaWebhook.SentTo(fixture.WhatsApp, Retailer).Count;
        using (await meta.TextAsync(Retailer, "rara 2 carton")) { }
        var readBack = await NextMessageAsync(Retailer, before, IsReadBack);
        var ordersBefore = await OrderCountAsync();
        using (await meta.ButtonReplyAsync(Retailer, MetaWebhook.ChoicesOf(readBack)[1])) { }
        await NextMessageAsync(Retailer, before, m => MetaWebhook.TextOf(m).Contains("nothing was ordered"));
        Assert.Equal(ordersBefore, await OrderCountAsync());
    }

    [Fact]
    public async Task An_unclear_line_becomes_a_question_and_the_answer_continues_to_a_confirmed_order()
    {
        await SetLanguageAsync(Retailer, "en");
        // Another test of the collection sells the mustard oil out.
        await fixture.ExecuteAsync(
            "UPDATE vendor_products vp SET stock = vp.reserved + 100 FROM products p WHERE p.id = vp.product_id AND p.code = 'OIL-MUSTARD-1L'");
        var before = MetaWebhook.SentTo(fixture.WhatsApp, Retailer).Count;
        using (await meta.TextAsync(Retailer, "tel 2")) { }
        var question = await NextMessageAsync(Retailer, before, m => m.TryGetProperty("interactive", out var i) && i.GetProperty("type").GetString() == "list");
        Assert.Equal("list", question.GetProperty("interactive").GetProperty("type").GetString());
        var options = MetaWebhook.ChoicesOf(question);
        Assert.Contains("pick:OIL-MUSTARD-1L", options);
        Assert.Contains("pick:OIL-SUNFLOWER-1L", options);
        using (await meta.ListReplyAsync(Retailer, "pick:OIL-MUSTARD-1L")) { }
        var readBack = await NextMessageAsync(Retailer, before, IsReadBack);
        Assert.Contains("Mustard Oil 1 litre × 2", MetaWebhook.TextOf(readBack));
        var confirm = MetaWebhook.ChoicesOf(readBack)[0];
        Assert.StartsWith("confirm:", confirm);
        var ordersBefore = await OrderCountAsync();
        using (await meta.ButtonReplyAsync(Retailer, confirm)) { }
        await Eventually.UntilAsync(async () => await OrderCountAsync() == ordersBefore + 1 && await LatestStatusAsync() == "confirmed", what: "the clarified order confirmed");
        Assert.Equal(2, await fixture.ScalarAsync<int>(
            "SELECT i.quantity FROM order_items i JOIN products p ON p.id = i.product_id WHERE p.code = 'OIL-MUSTARD-1L' AND i.order_id = " +
            "(SELECT id FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p) ORDER BY created_at DESC LIMIT 1)", ("p", Retailer)));
    }

    [Fact]
    public async Task An_order_waiting_for_clarification_is_continued_by_the_retailers_answer_in_chat()
    {
        var phone = ApiClient.DemoPhone("retailers", 8);
        await SetLanguageAsync(phone, "en");
        using var api = await fixture.LoginAsync(phone);
        var orderId = await api.SubmitAsync("""{"text":"chini 2 bora, qwzx 3 packet"}""");
        Assert.Equal("needs_clarification", (await api.WaitForStatusAsync(orderId, "needs_clarification")).GetProperty("orderStatus").GetString());
        var ordersBefore = await fixture.ScalarAsync<long>("SELECT count(*) FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p)", ("p", phone));

        var before = MetaWebhook.SentTo(fixture.WhatsApp, phone).Count;
        using (await meta.TextAsync(phone, "wai wai 3 carton")) { }
        var readBack = await NextMessageAsync(phone, before, IsReadBack);
        var text = MetaWebhook.TextOf(readBack);
        Assert.Contains("Sugar 50kg sack × 2", text);
        Assert.Contains("Wai Wai", text);
        using (await meta.ButtonReplyAsync(phone, MetaWebhook.ChoicesOf(readBack)[0])) { }

        var continued = await api.WaitForStatusAsync(orderId, "confirmed", "failed");
        Assert.Equal("confirmed", continued.GetProperty("orderStatus").GetString());
        Assert.Equal(ordersBefore, await fixture.ScalarAsync<long>("SELECT count(*) FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p)", ("p", phone)));
        Assert.Equal(2L, await fixture.ScalarAsync<long>("SELECT count(*) FROM order_items WHERE order_id = @id", ("id", orderId)));
    }

    [Fact]
    public async Task A_vendor_asking_for_orders_gets_them_and_anything_else_gets_the_vendor_help()
    {
        var vendor = ApiClient.DemoPhone("vendors", 4);
        await SetLanguageAsync(vendor, "en");
        var before = MetaWebhook.SentTo(fixture.WhatsApp, vendor).Count;
        using (await meta.TextAsync(vendor, "orders")) { }
        await NextMessageAsync(vendor, before, m => MetaWebhook.TextOf(m) is var t && (t.StartsWith("Orders waiting for you") || t.StartsWith("No orders are waiting")));
        using (await meta.TextAsync(vendor, "chini 2 bora")) { }
        await NextMessageAsync(vendor, before, m => MetaWebhook.TextOf(m).StartsWith("New orders reach you here"));
    }

    [Fact]
    public async Task A_status_query_lists_the_latest_orders()
    {
        await SetLanguageAsync(Retailer, "en");
        var before = MetaWebhook.SentTo(fixture.WhatsApp, Retailer).Count;
        using (await meta.TextAsync(Retailer, "status")) { }
        var answer = MetaWebhook.TextOf(await NextMessageAsync(Retailer, before, m => MetaWebhook.TextOf(m) is var t && (t.Contains("latest orders") || t.Contains("no orders yet"))));
        Assert.True(answer.Contains("ORD-") || answer.Contains("no orders"), answer);
    }

    [Fact]
    public async Task An_unknown_number_gets_onboarding_and_never_an_order()
    {
        const string stranger = "+9779812345678";
        var ordersBefore = await fixture.ScalarAsync<long>("SELECT count(*) FROM orders");
        using (await meta.TextAsync(stranger, "chini 2 bora")) { }
        var answer = MetaWebhook.TextOf(await NextMessageAsync(stranger, 0));
        Assert.Contains("not registered", answer);
        Assert.Equal(ordersBefore, await fixture.ScalarAsync<long>("SELECT count(*) FROM orders"));
    }

    [Theory]
    [InlineData("image")]
    [InlineData("audio")]
    [InlineData("location")]
    [InlineData("reaction")]
    public async Task An_unsupported_message_gets_a_polite_answer(string type)
    {
        await SetLanguageAsync(Retailer, "en");
        var before = MetaWebhook.SentTo(fixture.WhatsApp, Retailer).Count;
        using (var response = await meta.KindAsync(Retailer, type, new JsonObject { ["id"] = "1234", ["mime_type"] = "image/jpeg" })) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await NextMessageAsync(Retailer, before, m => MetaWebhook.TextOf(m).Contains($"not {type}"));
    }

    [Fact]
    public async Task A_vendor_outside_the_window_gets_the_template_and_its_quick_reply_accepts_the_order()
    {
        await fixture.ExecuteAsync("DELETE FROM conversations WHERE phone IN (SELECT phone FROM vendors)");
        var orderId = await PlaceByChatAsync(ApiClient.DemoPhone("retailers", 9), "wai wai 1 carton");
        var (vendor, message) = await NewOrderMessageAsync(orderId);
        Assert.Equal("template", message.GetProperty("type").GetString());
        Assert.Equal("khaacho_new_order", message.GetProperty("template").GetProperty("name").GetString());
        var accept = MetaWebhook.ChoicesOf(message).Single(c => c.StartsWith("accept:"));
        using (await meta.PostAsync(MetaWebhook.Messages(vendor, new JsonObject { ["type"] = "button", ["button"] = new JsonObject { ["payload"] = accept, ["text"] = "Accept" } }, null))) { }
        await Eventually.UntilAsync(async () => await StatusOfAsync(orderId) == "accepted", what: "the order accepted by the vendor's tap");
        Assert.StartsWith("vendor:", await fixture.ScalarAsync<string>("SELECT actor FROM order_status_history WHERE order_id = @id AND to_status = 'accepted'", ("id", orderId)));
    }

    [Fact]
    public async Task A_vendor_rejecting_by_button_reroutes_the_order()
    {
        var orderId = await PlaceByChatAsync(ApiClient.DemoPhone("retailers", 9), "rara 1 carton");
        var (vendor, message) = await NewOrderMessageAsync(orderId);
        var reject = MetaWebhook.ChoicesOf(message).Single(c => c.StartsWith("reject:"));
        using (await meta.ButtonReplyAsync(vendor, reject)) { }
        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM order_status_history WHERE order_id = @id AND to_status = 'rejected_by_vendor'", ("id", orderId)) == 1, what: "the rejection recorded");
        await Eventually.UntilAsync(async () => await StatusOfAsync(orderId) is "confirmed" or "failed", what: "the order rerouted");
    }

    [Fact]
    public async Task Delivery_reports_are_recorded_and_a_refusal_outside_the_window_resends_the_template()
    {
        await SetLanguageAsync(Retailer, "en");
        var before = MetaWebhook.SentTo(fixture.WhatsApp, Retailer).Count;
        using (await meta.TextAsync(Retailer, "help")) { }
        var sent = await NextMessageAsync(Retailer, before, m => MetaWebhook.TextOf(m).StartsWith("Namaste!"));
        var notificationId = Guid.Parse(sent.GetProperty("biz_opaque_callback_data").GetString()!);
        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<string>("SELECT status FROM notifications WHERE id = @id", ("id", notificationId)) == "sent");
        var wamid = await fixture.ScalarAsync<string>("SELECT provider_message_id FROM notifications WHERE id = @id", ("id", notificationId));
        using (var read = await meta.StatusAsync(Retailer, wamid, "read", notificationId)) Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using (var late = await meta.StatusAsync(Retailer, wamid, "delivered", notificationId)) Assert.Equal(HttpStatusCode.OK, late.StatusCode); // late, out of order: read stays
        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM whatsapp_inbox WHERE id LIKE @w AND processed_at IS NOT NULL", ("w", wamid + ":%")) == 2,
            what: "both delivery reports handled");
        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<string>("SELECT coalesce(provider_status, '') FROM notifications WHERE id = @id", ("id", notificationId)) == "read");
        await Task.Delay(500);
        Assert.Equal("read", await fixture.ScalarAsync<string>("SELECT provider_status FROM notifications WHERE id = @id", ("id", notificationId)));

        using (await meta.StatusAsync(Retailer, wamid, "failed", notificationId, errorCode: 131047)) { }
        await Eventually.UntilAsync(() => MetaWebhook.SentTo(fixture.WhatsApp, Retailer).Skip(before).Any(m => m.GetProperty("biz_opaque_callback_data").GetString() == notificationId.ToString() && m.GetProperty("type").GetString() == "template"),
            what: "the template sent after the re-engagement refusal");
    }

    private async Task<Guid> PlaceByChatAsync(string retailer, string text)
    {
        var before = MetaWebhook.SentTo(fixture.WhatsApp, retailer).Count;
        var ordersBefore = await fixture.ColumnAsync<Guid>("SELECT id FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p)", ("p", retailer));
        using (await meta.TextAsync(retailer, text)) { }
        var readBack = await NextMessageAsync(retailer, before, IsReadBack);
        using (await meta.ButtonReplyAsync(retailer, MetaWebhook.ChoicesOf(readBack)[0])) { }
        Guid orderId = default;
        await Eventually.UntilAsync(async () =>
        {
            var now = await fixture.ColumnAsync<Guid>("SELECT id FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p)", ("p", retailer));
            orderId = now.Except(ordersBefore).FirstOrDefault();
            return orderId != default;
        }, what: "the chat order placed");
        return orderId;
    }

    private async Task<(string Vendor, JsonElement Message)> NewOrderMessageAsync(Guid orderId)
    {
        JsonElement found = default;
        await Eventually.UntilAsync(() =>
        {
            found = fixture.WhatsApp.Delivered.FirstOrDefault(m => MetaWebhook.ChoicesOf(m).Contains($"accept:{orderId}"));
            return found.ValueKind == JsonValueKind.Object;
        }, what: "the new-order message to the vendor");
        return ("+" + found.GetProperty("to").GetString(), found);
    }

    /// <summary>
    /// The first message to <paramref name="phone"/> after the first <paramref name="alreadySent"/> that <paramref name="which"/>
    /// accepts (any, by default): other tests' orders notify the same retailers, and two replies may go out in either order.
    /// </summary>
    private async Task<JsonElement> NextMessageAsync(string phone, int alreadySent, Func<JsonElement, bool>? which = null)
    {
        JsonElement found = default;
        await Eventually.UntilAsync(() =>
        {
            found = MetaWebhook.SentTo(fixture.WhatsApp, phone).Skip(alreadySent).FirstOrDefault(m => which?.Invoke(m) ?? true);
            return found.ValueKind == JsonValueKind.Object;
        }, seconds: 90, what: $"a message to {phone}");
        return found;
    }

    private static bool IsReadBack(JsonElement message) => MetaWebhook.ChoicesOf(message).Any(c => c.StartsWith("confirm:", StringComparison.Ordinal));

    private Task<int> SetLanguageAsync(string phone, string language) => fixture.ExecuteAsync(
        "INSERT INTO conversations (phone, language, updated_at) VALUES (@p, @l, now()) ON CONFLICT (phone) DO UPDATE SET language = @l", ("p", phone), ("l", language));

    private Task<long> OrderCountAsync() =>
        fixture.ScalarAsync<long>("SELECT count(*) FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p)", ("p", Retailer));

    private Task<string> LatestStatusAsync() =>
        fixture.ScalarAsync<string>("SELECT status FROM orders WHERE retailer_id = (SELECT id FROM retailers WHERE phone = @p) ORDER BY created_at DESC LIMIT 1", ("p", Retailer));

    private Task<string> StatusOfAsync(Guid orderId) => fixture.ScalarAsync<string>("SELECT status FROM orders WHERE id = @id", ("id", orderId));

    private sealed record ReadBackAmounts(decimal Subtotal, decimal Vat, decimal Total);

    /// <summary>The amounts a read-back states, in either language.</summary>
    private static Task<ReadBackAmounts> QuoteAsync(string text)
    {
        var amounts = System.Text.RegularExpressions.Regex.Matches(text, @"(?:Rs|रु) ([0-9,]+\.[0-9]{2})").Select(m => decimal.Parse(m.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // Lines give unit price and line total each; then subtotal, VAT, total.
        return Task.FromResult(new ReadBackAmounts(amounts[^3], amounts[^2], amounts[^1]));
    }
}
