using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Khaacho.Tests.Hosting;
using StackExchange.Redis;

namespace Khaacho.Tests.Intake;

[Collection(AppCollection.Name)]
public sealed class OutboxTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task Orders_accepted_while_redis_is_down_reach_their_stream_exactly_once_when_it_returns()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));
        var accepted = new List<Guid>();
        var statuses = new List<HttpStatusCode>();
        async Task SubmitAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var response = await retailer.PostAsync("/api/v1/orders", ApiClient.Json("""{"items":[{"productCode":"SUGAR-1KG","quantity":1}]}"""));
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Accepted)
                    accepted.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
            }
        }

        await SubmitAsync(10);
        await fixture.StopRedisAsync();
        try
        {
            await SubmitAsync(20);
        }
        finally
        {
            await fixture.StartRedisAsync();
        }
        await SubmitAsync(10);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal(40, accepted.Count);
        var counts = await WaitForStreamAsync(accepted, TimeSpan.FromSeconds(30));
        Assert.All(accepted, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
    }

    /// <summary>How often the outbox published each order to the orders stream, once all of them appear or the time is up.</summary>
    private async Task<Dictionary<Guid, int>> WaitForStreamAsync(List<Guid> orders, TimeSpan timeout)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // Entries the outbox published carry their outbox id; a worker's retry re-adds a message without one.
            var counts = (await redis.GetDatabase().StreamRangeAsync("orders"))
                .Where(e => !e["outbox_id"].IsNullOrEmpty)
                .Select(e => JsonDocument.Parse(e["payload"].ToString()).RootElement.GetProperty("orderId").GetGuid())
                .Where(orders.Contains)
                .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
            if (counts.Count == orders.Count || DateTime.UtcNow > deadline) return counts;
            await Task.Delay(500);
        }
    }
}
