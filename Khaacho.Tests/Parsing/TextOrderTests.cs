using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Parsing;

[Collection(AppCollection.Name)]
public sealed class TextOrderTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task With_no_ai_configuration_a_chat_order_is_parsed_offline_and_confirmed()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 4));

        var orderId = await retailer.SubmitAsync("""{"text":"Namaste dai, 20 packet nun ra 10 packet chini pathaidinus"}""");
        var status = await retailer.WaitForStatusAsync(orderId, "confirmed", "failed", "needs_clarification");

        Assert.Equal("confirmed", status.GetProperty("orderStatus").GetString());
        var order = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        Assert.Equal(["received", "parsing", "parsed", "validated", "confirmed"], order.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()));
        var lines = order.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("quantity").GetInt32()).Order();
        Assert.Equal([10, 20], lines);
    }

    [Fact]
    public async Task The_preview_shows_what_a_chat_order_would_become_and_is_for_retailers_and_admins()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 4));
        using var vendor = await fixture.LoginAsync(ApiClient.DemoPhone("vendors", 1));

        using var response = await retailer.PostAsync("/api/v1/orders/parse", ApiClient.Json("""{"text":"wai wai 5 carton, rara 2 carton"}"""));
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var empty = await retailer.PostAsync("/api/v1/orders/parse", ApiClient.Json("""{"text":" "}"""));
        using var forbidden = await vendor.PostAsync("/api/v1/orders/parse", ApiClient.Json("""{"text":"chini 3 bora"}"""));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["NOODLE-RARA-CTN:2", "NOODLE-WAIWAI-CTN:5"],
            preview.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("productCode").GetString()}:{i.GetProperty("quantity").GetInt32()}").Order());
        Assert.Equal("offline", preview.GetProperty("provider").GetString());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task A_chat_message_with_no_order_in_it_asks_the_retailer_to_clarify()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 4));

        var orderId = await retailer.SubmitAsync("""{"text":"same as last time"}""");
        var status = await retailer.WaitForStatusAsync(orderId, "confirmed", "failed", "needs_clarification");

        Assert.Equal("needs_clarification", status.GetProperty("orderStatus").GetString());
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("needs_clarification", status.GetProperty("error").GetProperty("code").GetString());
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((await fixture.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE order_id = @o AND kind = 'needs_clarification'", ("o", orderId))) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the retailer was not asked");
            await Task.Delay(200);
        }
    }
}
