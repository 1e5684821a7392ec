using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Credit;

[Collection(AppCollection.Name)]
public sealed class PaymentTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_payment_restores_credit_so_an_order_refused_for_credit_confirms_and_its_reversal_takes_it_back()
    {
        await fixture.StockUpAsync(Khata.Product);
        var account = await fixture.NewRetailerAsync(creditLimit: 10_000m, outstanding: 8_000m);
        using var retailer = await fixture.LoginAsync(account.Phone);
        using var operatorClient = await fixture.LoginAsync(ApiClient.OperatorPhone);

        var (_, refused) = await retailer.PlaceAsync(10);
        Assert.Equal("failed", refused.GetProperty("orderStatus").GetString());
        Assert.Equal("credit_limit", refused.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("A payment restores it", refused.GetProperty("error").GetProperty("message").GetString());

        using var paid = await operatorClient.PayAsync(account.Id, 8_000m, "CHQ-000123", "cheque");
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        var payment = await paid.Content.ReadFromJsonAsync<JsonElement>();
        var credit = await retailer.CreditAsync(account.Id);
        Assert.Equal(0m, credit.Decimal("outstanding"));
        Assert.Equal(10_000m, credit.Decimal("availableCredit"));

        var (_, confirmed) = await retailer.PlaceAsync(10);
        Assert.Equal("confirmed", confirmed.GetProperty("orderStatus").GetString());
        var total = confirmed.GetProperty("result").Decimal("total");
        credit = await retailer.CreditAsync(account.Id);
        Assert.Equal(total, credit.Decimal("reserved"));
        Assert.Equal(10_000m - total, credit.Decimal("availableCredit"));

        using var reversed = await operatorClient.ReverseAsync(account.Id, payment.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, reversed.StatusCode);
        Assert.Contains("cheque bounced", (await reversed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reversalReason").GetString());
        credit = await retailer.CreditAsync(account.Id);
        Assert.Equal(8_000m, credit.Decimal("outstanding"));
        Assert.Equal(10_000m - 8_000m - total, credit.Decimal("availableCredit"));
        Khata.AssertAddsUp(credit);

        var (_, refusedAgain) = await retailer.PlaceAsync(10);
        Assert.Equal("credit_limit", refusedAgain.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, await fixture.CountCreditViolationsAsync());

        var kinds = await fixture.ColumnAsync<string>("SELECT kind FROM notifications WHERE recipient_id = @r ORDER BY created_at", ("r", account.Id));
        Assert.Contains("payment_received", kinds);
        Assert.Contains("payment_reversed", kinds);
        // The retailer never wrote in WhatsApp: the notice goes as the account template, carrying its text.
        var to = Core.WhatsApp.PhoneNumbers.ToWaId(account.Phone);
        await Eventually.UntilAsync(() => fixture.WhatsApp.Received.Any(m => IsAccountTemplate(m.Body, to, "We received your payment of NPR 8,000.00")), 30,
            "the payment notice sent as khaacho_account_update");
    }

    private static bool IsAccountTemplate(JsonElement body, string to, string text) =>
        body.GetProperty("to").GetString() == to && body.GetProperty("type").GetString() == "template"
        && body.GetProperty("template").GetProperty("name").GetString() == "khaacho_account_update"
        && body.GetProperty("template").ToString().Contains(text);

    [Fact]
    public async Task Recording_a_reference_again_is_a_replay_other_content_is_a_conflict_and_a_payment_reverses_once()
    {
        var account = await fixture.NewRetailerAsync(creditLimit: 50_000m, outstanding: 20_000m);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);

        using var first = await admin.PayAsync(account.Id, 5_000.50m, "ESEWA-77", "esewa");
        using var again = await admin.PayAsync(account.Id, 5_000.50m, "ESEWA-77", "esewa");
        using var other = await admin.PayAsync(account.Id, 6_000m, "ESEWA-77", "esewa");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(14_999.50m, (await admin.CreditAsync(account.Id)).Decimal("outstanding"));

        // Ten operators click "bounced" at once: one compensating entry.
        var reversals = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => admin.ReverseAsync(account.Id, id)));
        Assert.Equal(1, reversals.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(9, reversals.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var r in reversals) r.Dispose();
        Assert.Equal(20_000m, (await admin.CreditAsync(account.Id)).Decimal("outstanding"));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM credit_ledger WHERE payment_id = @p AND kind = 'payment_reversal'", ("p", id)));

        // The same payment recorded concurrently (a double-submitted form): one payment, one ledger entry.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => admin.PayAsync(account.Id, 1_000m, "BANK-42", "bank_transfer")));
        Assert.Equal(1, concurrent.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, concurrent.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var r in concurrent) r.Dispose();
        Assert.Equal(19_000m, (await admin.CreditAsync(account.Id)).Decimal("outstanding"));

        var listed = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/retailers/{account.Id}/payments");
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Equal(JsonValueKind.String, listed.EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == id).GetProperty("reversedAt").ValueKind);
        Assert.Equal(0, await fixture.CountCreditViolationsAsync());
    }

    [Theory]
    [InlineData("""{"amount":0,"method":"cash","reference":"R1","receivedOn":"2026-01-01"}""", "amount")]
    [InlineData("""{"amount":-5,"method":"cash","reference":"R1","receivedOn":"2026-01-01"}""", "amount")]
    [InlineData("""{"amount":10.005,"method":"cash","reference":"R1","receivedOn":"2026-01-01"}""", "amount")]
    [InlineData("""{"amount":1000000000000,"method":"cash","reference":"R1","receivedOn":"2026-01-01"}""", "amount")]
    [InlineData("""{"amount":10,"method":"bitcoin","reference":"R1","receivedOn":"2026-01-01"}""", "method")]
    [InlineData("""{"amount":10,"method":"cash","reference":"","receivedOn":"2026-01-01"}""", "reference")]
    [InlineData("""{"amount":10,"method":"cash","reference":"R1","receivedOn":"2999-01-01"}""", "receivedOn")]
    [InlineData("""{"amount":10,"method":"cash","reference":"R1","receivedOn":"01/02/2026"}""", "receivedOn")]
    [InlineData("""{"method":"cash","reference":"R1","receivedOn":"2026-01-01"}""", "amount")]
    public async Task A_payment_that_is_not_whole_paisa_in_bounds_with_a_known_method_and_a_real_date_is_refused_and_changes_nothing(string body, string field)
    {
        var account = await fixture.NewRetailerAsync(creditLimit: 1_000m, outstanding: 500m);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        using var response = await admin.PostAsync($"/api/v1/retailers/{account.Id}/payments", ApiClient.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), body);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM payments WHERE retailer_id = @r", ("r", account.Id)));
    }

    [Fact]
    public async Task Only_staff_record_payments_a_retailer_sees_only_its_own_credit_and_only_admins_change_limits()
    {
        var account = await fixture.NewRetailerAsync(creditLimit: 1_000m);
        var other = await fixture.NewRetailerAsync(creditLimit: 1_000m);
        using var retailer = await fixture.LoginAsync(account.Phone);
        using var vendor = await fixture.LoginAsync(ApiClient.DemoPhone("vendors", 0));
        using var operatorClient = await fixture.LoginAsync(ApiClient.OperatorPhone);

        using (var self = await retailer.PayAsync(account.Id, 100m, "SELF-1")) Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        using (var byVendor = await vendor.PayAsync(account.Id, 100m, "V-1")) Assert.Equal(HttpStatusCode.Forbidden, byVendor.StatusCode);
        using (var own = await retailer.GetAsync($"/api/v1/retailers/{account.Id}/credit")) Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using (var others = await retailer.GetAsync($"/api/v1/retailers/{other.Id}/credit")) Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        using (var othersStatement = await retailer.GetAsync($"/api/v1/retailers/{other.Id}/statement")) Assert.Equal(HttpStatusCode.NotFound, othersStatement.StatusCode);
        using (var byVendor = await vendor.GetAsync($"/api/v1/retailers/{account.Id}/credit")) Assert.Equal(HttpStatusCode.Forbidden, byVendor.StatusCode);
        using (var notUuid = await operatorClient.GetAsync("/api/v1/retailers/not-a-retailer/credit")) Assert.Equal(HttpStatusCode.NotFound, notUuid.StatusCode);
        using (var unknown = await operatorClient.PayAsync(Guid.NewGuid(), 100m, "X-1")) Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var limit = await operatorClient.PutAsJsonAsync($"/api/v1/retailers/{account.Id}/credit", new { creditLimit = 5_000m, paymentTermsDays = 15, reason = "good payer" }))
            Assert.Equal(HttpStatusCode.Forbidden, limit.StatusCode);
        using (var adjust = await operatorClient.PostAsJsonAsync($"/api/v1/retailers/{account.Id}/adjustments", new { amount = 10m, reason = "x" }))
            Assert.Equal(HttpStatusCode.Forbidden, adjust.StatusCode);
        using (var paid = await operatorClient.PayAsync(account.Id, 100m, "OP-1")) Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        Assert.StartsWith("operator:", await fixture.ScalarAsync<string>("SELECT actor FROM credit_ledger WHERE retailer_id = @r AND kind = 'payment'", ("r", account.Id)));
    }
}
