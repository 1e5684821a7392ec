using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Khaacho.Tests.Hosting;

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
        // Consumed entries are trimmed from the stream at once, so "exactly once" is read where it matters: each order
        // was processed to confirmation once, and nothing is left waiting in the outbox.
        var ids = accepted.ToArray();
        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM orders WHERE id = ANY(@ids) AND status NOT IN ('received', 'validated')", ("ids", ids)) == 40, 60, "every order processed");
        Assert.Equal(40L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM order_status_history WHERE order_id = ANY(@ids) AND to_status IN ('confirmed', 'failed')", ("ids", ids)));
        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE order_id = ANY(@ids)", ("ids", ids)) == 0,
            30, "the outbox emptied");
    }
}
