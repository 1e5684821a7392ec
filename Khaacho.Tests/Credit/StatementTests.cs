using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Khaacho.Core.Credit;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Credit;

[Collection(AppCollection.Name)]
public sealed class StatementTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task Delivery_turns_the_reservation_into_an_amount_owed_and_the_statement_adds_up_in_json_and_csv()
    {
        await fixture.StockUpAsync(Khata.Product);
        var account = await fixture.NewRetailerAsync(creditLimit: 50_000m, outstanding: 1_000m);
        using var retailer = await fixture.LoginAsync(account.Phone);
        using var operatorClient = await fixture.LoginAsync(ApiClient.OperatorPhone);

        var (orderId, confirmed) = await retailer.PlaceAsync(4);
        var total = confirmed.GetProperty("result").Decimal("total");
        var before = await retailer.CreditAsync(account.Id);
        await fixture.DeliverAsync(confirmed);
        var after = await retailer.CreditAsync(account.Id);
        Assert.Equal(before.Decimal("availableCredit"), after.Decimal("availableCredit"));
        Assert.Equal(0m, after.Decimal("reserved"));
        Assert.Equal(1_000m + total, after.Decimal("outstanding"));

        using (await operatorClient.PayAsync(account.Id, 600m, "RCPT-1")) { }
        using (await operatorClient.PostAsJsonAsync($"/api/v1/retailers/{account.Id}/credit-notes", new { amount = 50.50m, reason = "two bags torn", reference = "CN-1" })) { }

        var from = NepalTime.DayOf(DateTimeOffset.UtcNow.AddDays(-300)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var statement = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/retailers/{account.Id}/statement?from={from}&to={Khata.Today}");
        var lines = statement.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(1_000m, statement.Decimal("opening")); // the opening balance is a year old, before the period
        Assert.Equal(["charge", "payment", "credit_note"], lines.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal(total, lines[0].Decimal("debit"));
        Assert.Equal(confirmed.GetProperty("orderNumber").GetString(), lines[0].GetProperty("reference").GetString());
        Assert.Equal(600m, lines[1].Decimal("credit"));
        Assert.Equal(50.50m, lines[2].Decimal("credit"));
        var running = statement.Decimal("opening");
        foreach (var line in lines)
        {
            running += line.Decimal("debit") - line.Decimal("credit");
            Assert.Equal(running, line.Decimal("balance"));
        }
        Assert.Equal(statement.Decimal("opening") + statement.Decimal("totalDebits") - statement.Decimal("totalCredits"), statement.Decimal("closing"));
        Assert.Equal((await retailer.CreditAsync(account.Id)).Decimal("outstanding"), statement.Decimal("closing"));

        using var csvResponse = await retailer.GetAsync($"/api/v1/retailers/{account.Id}/statement.csv?from={from}");
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".csv", csvResponse.Content.Headers.ContentDisposition?.FileName);
        var bytes = await csvResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // a BOM, so a spreadsheet reads the text as UTF-8
        var rows = ReadCsv(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(["Date", "Time", "Kind", "Reference", "Description", "Debit", "Credit", "Balance"], rows[0]);
        Assert.All(rows, r => Assert.Equal(8, r.Length));
        Assert.Equal(["opening", "charge", "payment", "credit_note", "closing"], rows.Skip(1).Select(r => r[2]));
        Assert.Equal(statement.Decimal("closing"), decimal.Parse(rows[^1][7], CultureInfo.InvariantCulture));
        Assert.Equal(total, decimal.Parse(rows[2][5], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_description_a_spreadsheet_would_run_as_a_formula_is_escaped_in_the_csv()
    {
        var account = await fixture.NewRetailerAsync(creditLimit: 5_000m, outstanding: 100m);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        using (await admin.PostAsJsonAsync($"/api/v1/retailers/{account.Id}/adjustments", new { amount = 10m, reason = "=HYPERLINK(\"http://evil\",\"x\")" })) { }
        var csv = await admin.GetStringAsync($"/api/v1/retailers/{account.Id}/statement.csv");
        var description = ReadCsv(csv.TrimStart('\uFEFF')).Single(r => r[2] == "adjustment")[4];
        Assert.False(description.StartsWith('='), description);
    }

    [Fact]
    public async Task Ageing_puts_what_is_owed_in_buckets_by_days_since_delivery_first_in_first_out()
    {
        await fixture.StockUpAsync(Khata.Product);
        var account = await fixture.NewRetailerAsync(creditLimit: 50_000m, termsDays: 30);
        using var retailer = await fixture.LoginAsync(account.Phone);
        using var operatorClient = await fixture.LoginAsync(ApiClient.OperatorPhone);
        var (_, confirmed) = await retailer.PlaceAsync(5);
        var total = confirmed.GetProperty("result").Decimal("total");
        await fixture.DeliverAsync(confirmed);
        using (await operatorClient.PayAsync(account.Id, 100m, "PART-1")) { }
        var owed = total - 100m;
        var today = NepalTime.DayOf(DateTimeOffset.UtcNow);

        // Delivered today: as of today it is 0–30 days old, as of 45 days on it is 31–60, as of 100 days on it is over 90.
        foreach (var (days, bucket) in new[] { (0, "days0To30"), (45, "days31To60"), (75, "days61To90"), (100, "over90Days") })
        {
            var asOf = today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var ageing = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/retailers/{account.Id}/ageing?asOf={asOf}");
            var buckets = ageing.GetProperty("ageing");
            Assert.Equal(owed, buckets.Decimal(bucket));
            Assert.Equal(owed, buckets.Decimal("owed"));
            Assert.Equal(days > 30 ? owed : 0m, ageing.Decimal("overdue"));
        }
        // Before the delivery nothing was owed.
        var yesterday = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/retailers/{account.Id}/ageing?asOf={today.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal(0m, yesterday.GetProperty("ageing").Decimal("owed"));

        var all = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/v1/credit/ageing?asOf={today.AddDays(45):yyyy-MM-dd}");
        var mine = all.GetProperty("retailers").EnumerateArray().Single(r => r.GetProperty("retailerId").GetGuid() == account.Id);
        Assert.Equal(owed, mine.GetProperty("ageing").Decimal("days31To60"));
        Assert.Equal(all.GetProperty("retailers").EnumerateArray().Sum(r => r.GetProperty("ageing").Decimal("owed")), all.GetProperty("total").Decimal("owed"));
        using (var forRetailer = await retailer.GetAsync("/api/v1/credit/ageing")) Assert.Equal(HttpStatusCode.Forbidden, forRetailer.StatusCode);
    }

    [Theory]
    [InlineData("from=2026-13-01")]
    [InlineData("from=yesterday")]
    [InlineData("from=2026-05-02&to=2026-05-01")]
    [InlineData("from=2020-01-01&to=2026-01-01")]
    [InlineData("to=99999-01-01")]
    public async Task A_statement_period_that_is_not_real_days_in_order_within_a_year_is_refused(string query)
    {
        var account = await fixture.NewRetailerAsync(creditLimit: 1_000m);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        using var response = await admin.GetAsync($"/api/v1/retailers/{account.Id}/statement?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static List<string[]> ReadCsv(string text)
    {
        using var reader = CsvReader.FromText(text, CsvReaderOptions.Default with { HasHeader = false });
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i))]);
        return rows;
    }
}
