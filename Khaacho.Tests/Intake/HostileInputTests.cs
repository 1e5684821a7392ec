using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Intake;

/// <summary>Input found by hand against a running system that once answered 500: each is a client's mistake and gets a 4xx naming the field.</summary>
[Collection(AppCollection.Name)]
public sealed class HostileInputTests(KhaachoAppFixture fixture)
{
    /// <summary>A version-7 id whose 48-bit timestamp is past the year 9999.</summary>
    private const string FarFutureId = "f0000000-0000-7000-8000-000000000000";
    private const string ItemsOrder = """{"items":[{"productCode":"SUGAR-1KG","quantity":1}]}""";

    [Fact]
    public async Task Orders_can_be_listed_from_a_time_given_in_Nepal_time()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));
        var orderId = await retailer.SubmitAsync(ItemsOrder);
        var createdAt = (await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}")).GetProperty("createdAt").GetDateTimeOffset();
        var nepal = TimeSpan.FromMinutes(5 * 60 + 45);

        var since = await ListAsync(retailer, createdAt.AddSeconds(-1).ToOffset(nepal));
        var after = await ListAsync(retailer, createdAt.AddSeconds(1).ToOffset(nepal));

        Assert.Contains(orderId, since);
        Assert.DoesNotContain(orderId, after);
    }

    [Fact]
    public async Task The_reported_local_offset_query_answers_200()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));

        using var response = await retailer.GetAsync("/api/v1/orders?from=2026-11-30T00:00:00%2B05:45&to=9999-12-31T23:59:59%2B05:45");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", $"/api/v1/orders/{FarFutureId}/status")]
    [InlineData("GET", $"/api/v1/orders/{FarFutureId}")]
    [InlineData("PATCH", $"/api/v1/orders/{FarFutureId}/status")]
    public async Task An_order_id_dated_past_the_year_9999_is_not_found(string method, string path)
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PATCH") request.Content = ApiClient.Json("""{"status":"cancelled"}""");

        using var response = await retailer.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Contains(FarFutureId, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("98\\u00000")]
    [InlineData("\\u001b[2J")]
    public async Task A_login_with_a_control_character_in_the_phone_is_refused_naming_the_field(string phone)
    {
        using var anonymous = fixture.CreateHttpClient("api");

        using var response = await anonymous.PostAsync("/api/v1/auth/token", ApiClient.Json($$"""{"phone":"{{phone}}","password":"x"}"""));

        await AssertFieldRefusedAsync(response, "phone");
    }

    [Theory]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":1}],"notes":"side door\u0000"}""", "notes")]
    [InlineData("""{"text":"chini 3 bora\u0000"}""", "text")]
    [InlineData("""{"items":[{"productCode":"SUGAR\u0000","quantity":1}]}""", "items[0].productCode")]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":1}],"notes":"bell\u0007"}""", "notes")]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":1}],"notes":"\u202Ereversed"}""", "notes")]
    public async Task An_order_with_a_nul_or_control_character_in_a_string_is_refused_naming_the_field(string body, string field)
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));

        using var response = await retailer.PostAsync("/api/v1/orders", ApiClient.Json(body));

        await AssertFieldRefusedAsync(response, field);
    }

    [Fact]
    public async Task Line_breaks_and_tabs_in_an_order_text_are_still_accepted()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));

        using var response = await retailer.PostAsync("/api/v1/orders", ApiClient.Json("""{"text":"chini 3 bora\r\n\twai wai 5 carton","notes":"line one\nline two"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_status_change_with_a_nul_in_its_reason_is_refused_naming_the_field()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));
        var orderId = await retailer.SubmitAsync(ItemsOrder);

        using var response = await retailer.PatchAsync($"/api/v1/orders/{orderId}/status", ApiClient.Json("""{"status":"cancelled","reason":"changed my mind\u0000"}"""));

        await AssertFieldRefusedAsync(response, "reason");
    }

    [Fact]
    public async Task A_preview_of_a_quantity_beyond_the_order_limit_leaves_it_unmatched()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));

        using var response = await retailer.PostAsync("/api/v1/orders/parse", ApiClient.Json("""{"text":"chini 99999999999 bora, wai wai 5 carton"}"""));
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["NOODLE-WAIWAI-CTN"], preview.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("productCode").GetString()));
        Assert.Equal(["chini 99999999999 bora"], preview.GetProperty("unmatched").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task A_text_order_with_a_quantity_beyond_the_order_limit_asks_the_retailer_to_clarify()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));

        var orderId = await retailer.SubmitAsync("""{"text":"chini 99999999999 bora"}""");
        var status = await retailer.WaitForStatusAsync(orderId, "needs_clarification", "failed", "confirmed");

        Assert.Equal("needs_clarification", status.GetProperty("orderStatus").GetString());
        Assert.Contains("chini 99999999999 bora", status.GetProperty("error").GetProperty("message").GetString());
    }

    private static async Task<List<Guid>> ListAsync(HttpClient client, DateTimeOffset from)
    {
        using var response = await client.GetAsync($"/api/v1/orders?limit=100&from={Uri.EscapeDataString(from.ToString("O"))}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid())];
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>400, problem+json, and an entry in <c>errors</c> for the field (by its JSON path), saying what is wrong with it.</summary>
    private static async Task AssertFieldRefusedAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {problem}");
        Assert.Contains("control character", messages[0].GetString());
    }
}
