using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;
using Npgsql;
using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace Khaacho.Tests.Intake;

[Collection(AppCollection.Name)]
public sealed class IntakeTests(KhaachoAppFixture fixture)
{
    private const string ItemsOrder = """{"items":[{"productCode":"SUGAR-1KG","quantity":10},{"productCode":"SALT-AAYO-1KG","quantity":20}]}""";

    [Fact]
    public async Task An_items_order_is_accepted_with_202_and_its_status_is_pending_or_further()
    {
        using var client = await fixture.LoginAsync(ApiClient.Retailer1Phone);

        using var response = await client.PostAsync("/api/v1/orders", ApiClient.Json(ItemsOrder));
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = accepted.GetProperty("jobId").GetGuid();
        Assert.Equal("pending", accepted.GetProperty("status").GetString());
        Assert.Equal("Order accepted for processing", accepted.GetProperty("message").GetString());
        Assert.Equal($"/api/v1/orders/{jobId}/status", response.Headers.Location?.OriginalString);

        var status = await client.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{jobId}/status");
        Assert.Equal(jobId, status.GetProperty("orderId").GetGuid());
        Assert.Matches(@"^ORD-\d{4}-\d{6,}$", status.GetProperty("orderNumber").GetString());
        // The workers may already have moved it on.
        Assert.Contains(status.GetProperty("orderStatus").GetString(), new[] { "received", "validated", "confirmed" });

        var order = await client.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{jobId}");
        Assert.Equal(2, order.GetProperty("items").GetArrayLength());
        Assert.Equal("received", order.GetProperty("history")[0].GetProperty("to").GetString());
    }

    [Fact]
    public async Task A_text_order_is_accepted_and_queued_for_the_ai_stream()
    {
        using var client = await fixture.LoginAsync(ApiClient.Retailer1Phone);

        using var response = await client.PostAsync("/api/v1/orders", ApiClient.Json("""{"text":"chini 3 bora, wai wai 5 carton"}"""));
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await CountStreamEntriesForAsync("ai", jobId));
    }

    [Fact]
    public async Task Twenty_concurrent_requests_with_one_key_create_exactly_one_order()
    {
        using var client = await fixture.LoginAsync(ApiClient.Retailer1Phone);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = ApiClient.Json(ItemsOrder) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var jobIds = responses.Select(r => r.Body.GetProperty("jobId").GetGuid()).Distinct().ToList();
        Assert.Single(jobIds);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM orders WHERE id = @id", jobIds[0]));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422()
    {
        using var client = await fixture.LoginAsync(ApiClient.Retailer1Phone);
        var key = Guid.NewGuid().ToString();

        using var first = await SendWithKeyAsync(client, key, ItemsOrder);
        using var second = await SendWithKeyAsync(client, key, """{"items":[{"productCode":"SUGAR-1KG","quantity":11}]}""");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_retailer_gets_404_for_an_order_that_is_not_theirs()
    {
        using var owner = await fixture.LoginAsync(ApiClient.Retailer1Phone);
        using var other = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 1));
        using var response = await owner.PostAsync("/api/v1/orders", ApiClient.Json(ItemsOrder));
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();

        using var status = await other.GetAsync($"/api/v1/orders/{jobId}/status");
        using var detail = await other.GetAsync($"/api/v1/orders/{jobId}");
        var page = await other.GetFromJsonAsync<JsonElement>("/api/v1/orders?limit=100");

        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetGuid() == jobId);
    }

    [Fact]
    public async Task Orders_are_listed_newest_first_across_pages()
    {
        using var client = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 2));
        for (var i = 0; i < 5; i++) (await client.PostAsync("/api/v1/orders", ApiClient.Json(ItemsOrder))).Dispose();

        var seen = new List<(DateTimeOffset, Guid)>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/orders?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(o => (o.GetProperty("createdAt").GetDateTimeOffset(), o.GetProperty("id").GetGuid())));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);

        Assert.True(seen.Count >= 5);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(o => o.Item1).ThenByDescending(o => o.Item2), seen);
    }

    [Theory]
    [InlineData("wrong-password")]
    [InlineData("")]
    public async Task A_wrong_password_gets_no_token(string password)
    {
        using var client = fixture.CreateHttpClient("api");
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { phone = ApiClient.Retailer1Phone, password });

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIwMTkzMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDAiLCJyb2xlIjoiYWRtaW4iLCJpc3MiOiJraGFhY2hvIiwiYXVkIjoia2hhYWNoby1hcGkifQ.")]
    public async Task Requests_without_a_valid_token_get_401(string? token)
    {
        using var client = fixture.CreateHttpClient("api");
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync("/api/v1/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("{", 400)]
    [InlineData("""{"items":[]}""", 400)]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":0}]}""", 400)]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":-5}]}""", 400)]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":100000}]}""", 400)]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":1e12}]}""", 400)]
    [InlineData("""{"items":[{"productCode":"NOPE","quantity":1}]}""", 400)]
    [InlineData("""{"items":[{"productId":"not-a-guid","quantity":1}]}""", 400)]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":1}],"text":"chini 1"}""", 400)]
    [InlineData("""{"notes":"neither items nor text"}""", 400)]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":1}],"colour":"red"}""", 400)]
    [InlineData("""{"items":[{"productCode":"SUGAR-1KG","quantity":1}],"priority":"asap"}""", 400)]
    [InlineData("""{"vendorId":"00000000-0000-0000-0000-000000000000","items":[{"productCode":"SUGAR-1KG","quantity":1}]}""", 400)]
    [InlineData("""{"text":""}""", 400)]
    [InlineData("[]", 400)]
    [InlineData("null", 400)]
    public async Task Bad_input_is_refused_with_problem_json(string body, int expected)
    {
        using var client = await fixture.LoginAsync(ApiClient.Retailer1Phone);

        using var response = await client.PostAsync("/api/v1/orders", ApiClient.Json(body));

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Oversized_text_and_bodies_and_wrong_content_types_are_refused()
    {
        using var client = await fixture.LoginAsync(ApiClient.Retailer1Phone);

        using var longText = await client.PostAsync("/api/v1/orders", ApiClient.Json($$"""{"text":"{{new string('a', 5000)}}"}"""));
        using var hugeBody = await client.PostAsync("/api/v1/orders", ApiClient.Json($$"""{"text":"{{new string('a', 100_000)}}"}"""));
        using var plainText = await client.PostAsync("/api/v1/orders", new StringContent("chini 3 bora"));
        var tooMany = string.Join(",", Enumerable.Range(0, 201).Select(i => """{"productCode":"SUGAR-1KG","quantity":1}"""));
        using var manyItems = await client.PostAsync("/api/v1/orders", ApiClient.Json($$"""{"items":[{{tooMany}}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, longText.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeBody.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plainText.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, manyItems.StatusCode);
    }

    [Fact]
    public async Task A_vendor_cannot_submit_orders()
    {
        using var vendor = await fixture.LoginAsync(ApiClient.DemoPhone("vendors", 0));

        using var response = await vendor.PostAsync("/api/v1/orders", ApiClient.Json(ItemsOrder));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_status_lookup_by_job_id_scans_one_partition()
    {
        using var client = await fixture.LoginAsync(ApiClient.Retailer1Phone);
        using var response = await client.PostAsync("/api/v1/orders", ApiClient.Json(ItemsOrder));
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();

        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        var createdAt = await new NpgsqlCommand($"SELECT created_at FROM orders WHERE id = '{jobId}'", connection).ExecuteScalarAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN SELECT * FROM orders WHERE id = @id AND created_at = @createdAt", connection);
        explain.Parameters.AddWithValue("id", jobId);
        explain.Parameters.AddWithValue("createdAt", createdAt!);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));

        Assert.Single(plan, line => line.Contains(" on orders_"));
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = ApiClient.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private async Task<long> ScalarAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> CountStreamEntriesForAsync(string stream, Guid orderId)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var entries = await redis.GetDatabase().StreamRangeAsync(stream);
        return entries.Count(e => e["payload"].ToString().Contains(orderId.ToString()));
    }
}
