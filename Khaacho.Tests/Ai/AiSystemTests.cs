using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Ai;

/// <summary>The running system with a local OpenAI-compatible model configured (a stub on the real wire protocol).</summary>
[Collection(AiAppCollection.Name)]
public sealed class AiSystemTests(AiAppFixture fixture)
{
    [Fact]
    public async Task A_text_only_the_model_can_place_is_parsed_by_it_and_confirmed_and_the_call_is_recorded()
    {
        fixture.Model.Answer = """{"items":[{"productCode":"DAL-MASOOR-1KG","quantity":4,"sourceText":"4 packet"}],"unmatched":[]}""";
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 6));

        var orderId = await retailer.SubmitAsync($$"""{"text":"zzq{{Guid.NewGuid():N}} 4 packet"}""");
        var status = await retailer.WaitForStatusAsync(orderId, "confirmed", "failed", "needs_clarification");

        Assert.Equal("confirmed", status.GetProperty("orderStatus").GetString());
        var order = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        var item = Assert.Single(order.GetProperty("items").EnumerateArray());
        Assert.Equal(4, item.GetProperty("quantity").GetInt32());
        Assert.Equal("DAL-MASOOR-1KG", await fixture.ScalarAsync<string>("SELECT code FROM products WHERE id = @id", ("id", item.GetProperty("productId").GetGuid())));
        Assert.Equal("local/success/120/30", await fixture.ScalarAsync<string>(
            "SELECT provider || '/' || outcome || '/' || input_tokens || '/' || output_tokens FROM ai_calls WHERE order_id = @id", ("id", orderId)));
    }

    [Fact]
    public async Task When_the_model_leaves_part_of_the_text_unplaced_the_retailer_is_asked_about_it()
    {
        fixture.Model.Answer = """{"items":[{"productCode":"DAL-MASOOR-1KG","quantity":2,"sourceText":"2 packet"}],"unmatched":["qqz 7 thing"]}""";
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 6));

        var orderId = await retailer.SubmitAsync($$"""{"text":"zzq{{Guid.NewGuid():N}} 2 packet, qqz 7 thing"}""");
        var status = await retailer.WaitForStatusAsync(orderId, "confirmed", "failed", "needs_clarification");

        Assert.Equal("needs_clarification", status.GetProperty("orderStatus").GetString());
        Assert.Contains("qqz 7 thing", await fixture.ScalarAsync<string>("SELECT failure_reason FROM orders WHERE id = @id", ("id", orderId)));
    }

    [Fact]
    public async Task The_preview_asks_the_model_when_the_offline_parser_is_unsure()
    {
        fixture.Model.Answer = """{"items":[{"productCode":"DAL-MASOOR-1KG","quantity":6,"sourceText":"6 packet"}],"unmatched":[]}""";
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 6));

        var preview = await retailer.PostAsync("/api/v1/orders/parse", ApiClient.Json($$"""{"text":"zzq{{Guid.NewGuid():N}} 6 packet"}"""));
        var body = await preview.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("local", body.GetProperty("provider").GetString());
        Assert.Equal(6, Assert.Single(body.GetProperty("items").EnumerateArray()).GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task Admins_see_each_providers_configuration_circuit_and_use_today_without_secrets()
    {
        fixture.Model.Answer = """{"items":[{"productCode":"DAL-MASOOR-1KG","quantity":1,"sourceText":"1 packet"}],"unmatched":[]}""";
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 6));
        await retailer.PostAsync("/api/v1/orders/parse", ApiClient.Json($$"""{"text":"zzq{{Guid.NewGuid():N}} 1 packet"}"""));

        using var response = await admin.GetAsync("/api/v1/admin/ai/providers");
        var body = await response.Content.ReadAsStringAsync();
        using var forbidden = await retailer.GetAsync("/api/v1/admin/ai/providers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var providers = JsonDocument.Parse(body).RootElement.EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["local", "openai", "anthropic"], providers.Keys);
        var local = providers["local"];
        Assert.True(local.GetProperty("configured").GetBoolean());
        Assert.Equal(1, local.GetProperty("position").GetInt32());
        Assert.Equal("stub-local", local.GetProperty("model").GetString());
        Assert.Equal("closed", local.GetProperty("circuit").GetString());
        Assert.True(local.GetProperty("callsToday").GetInt32() >= 1);
        Assert.True(local.GetProperty("spendTodayUsd").GetDecimal() > 0);
        Assert.False(providers["openai"].GetProperty("configured").GetBoolean());
        Assert.True(local.GetProperty("hasApiKey").GetBoolean());
        Assert.DoesNotContain(AiAppFixture.LocalModelKey, body);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
