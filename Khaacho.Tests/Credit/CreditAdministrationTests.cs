using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Credit;

[Collection(AppCollection.Name)]
public sealed class CreditAdministrationTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_blocked_retailers_order_fails_with_the_reason_an_unblocked_one_confirms_and_every_change_is_audited()
    {
        await fixture.StockUpAsync(Khata.Product);
        var account = await fixture.NewRetailerAsync(creditLimit: 20_000m);
        using var retailer = await fixture.LoginAsync(account.Phone);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        using var operatorClient = await fixture.LoginAsync(ApiClient.OperatorPhone);

        using (var block = await operatorClient.PostAsJsonAsync($"/api/v1/retailers/{account.Id}/credit/block", new { reason = "three cheques bounced" }))
        {
            Assert.Equal(HttpStatusCode.OK, block.StatusCode);
            Assert.True((await block.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("blocked").GetBoolean());
        }
        var (_, blocked) = await retailer.PlaceAsync(2);
        Assert.Equal("retailer_blocked", blocked.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("three cheques bounced", blocked.GetProperty("error").GetProperty("message").GetString());

        using (var unblock = await operatorClient.PostAsJsonAsync($"/api/v1/retailers/{account.Id}/credit/unblock", new { reason = "paid in cash" }))
            Assert.Equal(HttpStatusCode.OK, unblock.StatusCode);
        var (_, confirmed) = await retailer.PlaceAsync(2);
        Assert.Equal("confirmed", confirmed.GetProperty("orderStatus").GetString());
        var total = confirmed.GetProperty("result").Decimal("total");

        using (var terms = await admin.PutAsJsonAsync($"/api/v1/retailers/{account.Id}/credit", new { creditLimit = 5_000.25m, paymentTermsDays = 15, reason = "seasonal review" }))
        {
            Assert.Equal(HttpStatusCode.OK, terms.StatusCode);
            var credit = await terms.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(5_000.25m, credit.Decimal("creditLimit"));
            Assert.Equal(5_000.25m - total, credit.Decimal("availableCredit"));
            Assert.Equal(15, credit.GetProperty("paymentTermsDays").GetInt32());
            Khata.AssertAddsUp(credit);
        }
        // Below what is already used: available goes negative and new orders fail for credit, nothing held is undone.
        using (var lower = await admin.PutAsJsonAsync($"/api/v1/retailers/{account.Id}/credit", new { creditLimit = 1m, paymentTermsDays = 15, reason = "collections" }))
            Assert.Equal(1m - total, (await lower.Content.ReadFromJsonAsync<JsonElement>()).Decimal("availableCredit"));

        var changes = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/retailers/{account.Id}/credit/changes");
        Assert.Equal(["limit", "limit", "terms", "unblock", "block"], changes.EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
        Assert.All(changes.EnumerateArray(), c => Assert.False(string.IsNullOrEmpty(c.GetProperty("actor").GetString())));
        Assert.Equal("three cheques bounced", changes[4].GetProperty("reason").GetString());
        Assert.StartsWith("operator:", changes[4].GetProperty("actor").GetString());
        Assert.Equal("20000.00", changes.EnumerateArray().Last(c => c.GetProperty("kind").GetString() == "limit").GetProperty("before").GetString());
        using (var forRetailer = await retailer.GetAsync($"/api/v1/retailers/{account.Id}/credit/changes")) Assert.Equal(HttpStatusCode.Forbidden, forRetailer.StatusCode);
        Assert.Equal(0, await fixture.CountCreditViolationsAsync());
    }

    [Theory]
    [InlineData("""{"creditLimit":-1,"paymentTermsDays":30,"reason":"x"}""", "creditLimit")]
    [InlineData("""{"creditLimit":100.001,"paymentTermsDays":30,"reason":"x"}""", "creditLimit")]
    [InlineData("""{"creditLimit":100,"paymentTermsDays":366,"reason":"x"}""", "paymentTermsDays")]
    [InlineData("""{"creditLimit":100,"paymentTermsDays":30,"reason":"  "}""", "reason")]
    [InlineData("""{"creditLimit":100,"paymentTermsDays":30}""", "reason")]
    public async Task Credit_terms_out_of_bounds_or_without_a_reason_are_refused(string body, string field)
    {
        var account = await fixture.NewRetailerAsync(creditLimit: 1_000m);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        using var response = await admin.PutAsync($"/api/v1/retailers/{account.Id}/credit", ApiClient.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(1_000m, (await admin.CreditAsync(account.Id)).Decimal("creditLimit"));
    }

    [Fact]
    public async Task Crossing_the_warning_share_of_the_limit_warns_the_retailer_once()
    {
        await fixture.StockUpAsync(Khata.Product);
        var account = await fixture.NewRetailerAsync(creditLimit: 100_000m);
        using var retailer = await fixture.LoginAsync(account.Phone);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        var (_, first) = await retailer.PlaceAsync(3);
        var perBag = first.GetProperty("result").Decimal("total") / 3;
        // Three bags use about 57% of this limit; two more take it to about 95%, past the 90% warning share.
        var limit = Math.Round(5 * perBag / 0.95m, 2);
        using (await admin.PutAsJsonAsync($"/api/v1/retailers/{account.Id}/credit", new { creditLimit = limit, paymentTermsDays = 30, reason = "test" })) { }
        Assert.Equal(0L, await WarningsAsync(account));

        var (_, second) = await retailer.PlaceAsync(2);
        Assert.Equal("confirmed", second.GetProperty("orderStatus").GetString());
        Assert.Equal(1L, await WarningsAsync(account));
        await retailer.PlaceAsync(1);
        Assert.Equal(1L, await WarningsAsync(account)); // still past it (or refused): no second warning
    }

    private Task<long> WarningsAsync(TestRetailer account) =>
        fixture.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE recipient_id = @r AND kind = 'credit_warning'", ("r", account.Id));
}
