using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Core.Credit;
using Khaacho.Core.Orders;
using Khaacho.Tests.Credit;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Orders;

/// <summary><c>POST /orders/quote</c> and the retailer's best price on <c>GET /products</c>, through the whole app.</summary>
[Collection(AppCollection.Name)]
public sealed class QuoteTests(KhaachoAppFixture fixture)
{
    private const string Sugar = "SUGAR-1KG";
    private const string Atta = "ATTA-5KG";
    private static readonly string TwoLines = $$"""{"productCode":"{{Sugar}}","quantity":3},{"productCode":"{{Atta}}","quantity":2}""";

    [Fact]
    public async Task A_quote_charges_what_confirming_the_same_order_then_charges_and_reserves_nothing()
    {
        await fixture.StockUpAsync(Sugar);
        await fixture.StockUpAsync(Atta);
        var account = await fixture.NewRetailerAsync(creditLimit: 100_000m);
        using var retailer = await fixture.LoginAsync(account.Phone);
        var reservedBefore = await ReservedAsync();
        var creditBefore = await retailer.CreditAsync(account.Id);

        var quote = await QuoteAsync(retailer, $$"""{"items":[{{TwoLines}}]}""");

        Assert.Empty(quote.GetProperty("unquoted").EnumerateArray());
        var lines = quote.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal([Sugar, Atta], lines.Select(l => l.GetProperty("productCode").GetString()));
        Assert.All(lines, l => Assert.Equal(Money.Round(l.Decimal("unitPrice") * l.GetProperty("quantity").GetInt32()), l.Decimal("lineTotal")));
        Assert.Equal(lines.Sum(l => l.Decimal("lineTotal")), quote.Decimal("subtotal"));
        Assert.Equal(Money.Round(quote.Decimal("subtotal") * 0.13m), quote.Decimal("vat"));
        Assert.Equal(quote.Decimal("subtotal") + quote.Decimal("vat"), quote.Decimal("total"));
        Assert.True(quote.GetProperty("withinCredit").GetBoolean());
        Assert.Equal(100_000m, quote.Decimal("availableCredit"));
        Assert.Equal(reservedBefore, await ReservedAsync());
        var creditAfter = await retailer.CreditAsync(account.Id);
        Assert.Equal(creditBefore.Decimal("availableCredit"), creditAfter.Decimal("availableCredit"));
        Assert.Equal(creditBefore.Decimal("reserved"), creditAfter.Decimal("reserved"));

        // The quoted vendor becomes the order's preference, as the chat's read-back does.
        var vendorId = quote.GetProperty("vendor").GetProperty("id").GetGuid();
        var orderId = await retailer.SubmitAsync($$"""{"vendorId":"{{vendorId}}","items":[{{TwoLines}}]}""");
        Assert.Equal("confirmed", (await retailer.WaitForStatusAsync(orderId, "confirmed", "failed", "awaiting_review")).GetProperty("orderStatus").GetString());
        var order = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        Assert.Equal(vendorId, order.GetProperty("vendorId").GetGuid());
        foreach (var name in (string[])["subtotal", "vat", "total"]) Assert.Equal(quote.Decimal(name), order.Decimal(name));
        var items = order.GetProperty("items").EnumerateArray().ToList();
        var ids = await ProductIdsAsync(Sugar, Atta);
        for (var i = 0; i < 2; i++)
        {
            var item = items.Single(it => it.GetProperty("productId").GetGuid() == ids[i]);
            Assert.Equal(lines[i].Decimal("unitPrice"), item.Decimal("unitPrice"));
            Assert.Equal(lines[i].Decimal("lineTotal"), item.Decimal("lineTotal"));
        }
    }

    [Fact]
    public async Task The_expected_delivery_is_today_in_Nepal_plus_the_chosen_vendors_longest_lead_time()
    {
        await fixture.StockUpAsync(Sugar);
        await fixture.StockUpAsync(Atta);
        var account = await fixture.NewRetailerAsync(creditLimit: 100_000m);
        using var retailer = await fixture.LoginAsync(account.Phone);
        var seeded = await fixture.ColumnAsync<string>(
            "SELECT id::text || '=' || lead_time_days FROM vendor_products WHERE product_id IN (SELECT id FROM products WHERE code IN (@a, @b))", ("a", Sugar), ("b", Atta));
        try
        {
            await SetLeadTimeAsync(9, vendorId: null);
            var vendorId = (await QuoteAsync(retailer, $$"""{"items":[{{TwoLines}}]}""")).GetProperty("vendor").GetProperty("id").GetGuid();
            await SetLeadTimeAsync(2, vendorId, Sugar);
            await SetLeadTimeAsync(5, vendorId, Atta);

            var today = NepalTime.DayOf(DateTimeOffset.UtcNow);
            var quote = await QuoteAsync(retailer, $$"""{"vendorId":"{{vendorId}}","items":[{{TwoLines}}]}""");

            Assert.Equal(vendorId, quote.GetProperty("vendor").GetProperty("id").GetGuid());
            var expected = DateOnly.ParseExact(quote.GetProperty("expectedDelivery").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Contains(expected, new[] { today.AddDays(5), NepalTime.DayOf(DateTimeOffset.UtcNow).AddDays(5) });
        }
        finally
        {
            foreach (var row in seeded.Select(r => r.Split('=')))
                await fixture.ExecuteAsync("UPDATE vendor_products SET lead_time_days = @d WHERE id = @id", ("d", int.Parse(row[1], CultureInfo.InvariantCulture)), ("id", Guid.Parse(row[0])));
        }
    }

    [Fact]
    public async Task A_product_no_single_vendor_has_in_that_quantity_is_reported_per_line_not_a_500()
    {
        await fixture.StockUpAsync(Sugar);
        var account = await fixture.NewRetailerAsync(creditLimit: 100_000m);
        using var retailer = await fixture.LoginAsync(account.Phone);
        var scarce = await fixture.ScalarAsync<string>("""
            SELECT p.code || '=' || max(vp.stock - vp.reserved) FROM products p JOIN vendor_products vp ON vp.product_id = p.id JOIN vendors v ON v.id = vp.vendor_id
            WHERE p.is_active AND v.is_active AND p.code <> @sugar GROUP BY p.code ORDER BY max(vp.stock - vp.reserved) LIMIT 1
            """, ("sugar", Sugar));
        var (code, most) = (scarce.Split('=')[0], int.Parse(scarce.Split('=')[1], CultureInfo.InvariantCulture));
        Assert.True(most < OrderLimits.MaxQuantity, $"{code}: every product is stocked beyond the order limit");

        var quote = await QuoteAsync(retailer, $$"""{"items":[{"productCode":"{{Sugar}}","quantity":1},{"productCode":"{{code}}","quantity":{{most + 1}}}]}""");
        var alone = await QuoteAsync(retailer, $$"""{"items":[{"productCode":"{{code}}","quantity":{{most + 1}}}]}""");

        Assert.Equal([Sugar], quote.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("productCode").GetString()));
        var left = Assert.Single(quote.GetProperty("unquoted").EnumerateArray());
        Assert.Equal("no_single_vendor", left.GetProperty("reason").GetString());
        Assert.Equal(code, left.GetProperty("productCode").GetString());
        Assert.Equal(most + 1, left.GetProperty("quantity").GetInt32());
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("vendor").ValueKind);
        Assert.Empty(alone.GetProperty("lines").EnumerateArray());
        Assert.Equal(0m, alone.Decimal("total"));
        Assert.Equal("no_single_vendor", Assert.Single(alone.GetProperty("unquoted").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_text_order_is_quoted_through_the_previews_parse_and_what_it_does_not_understand_is_listed()
    {
        using var retailer = await fixture.LoginAsync((await fixture.NewRetailerAsync(creditLimit: 100_000m)).Phone);

        var quote = await QuoteAsync(retailer, """{"text":"chini 3 bora, wai wai 5 carton, flibbertigibbet 4 ota"}""");
        using var preview = await retailer.PostAsync("/api/v1/orders/parse", ApiClient.Json("""{"text":"chini 3 bora, wai wai 5 carton, flibbertigibbet 4 ota"}"""));
        var parsed = await preview.Content.ReadFromJsonAsync<JsonElement>();

        var quotedOrLeft = quote.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("productCode").GetString(), l.GetProperty("quantity").GetInt32()))
            .Concat(quote.GetProperty("unquoted").EnumerateArray().Where(u => u.GetProperty("reason").GetString() == "no_single_vendor")
                .Select(u => (u.GetProperty("productCode").GetString(), u.GetProperty("quantity").GetInt32())));
        Assert.Equal(parsed.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("productCode").GetString(), i.GetProperty("quantity").GetInt32())).Order(), quotedOrLeft.Order());
        Assert.Equal(parsed.GetProperty("unmatched").EnumerateArray().Select(u => u.GetString()),
            quote.GetProperty("unquoted").EnumerateArray().Where(u => u.GetProperty("reason").GetString() == "not_understood").Select(u => u.GetProperty("text").GetString()));
        Assert.NotEmpty(quote.GetProperty("lines").EnumerateArray());
    }

    public static TheoryData<string> BadBodies => new()
    {
        $$"""{"items":[{"productCode":"{{Sugar}}","quantity":1}],"text":"chini 1"}""",
        """{"notes":"neither items nor text"}""",
        """{"items":[{"productCode":"NO-SUCH-PRODUCT","quantity":1}]}""",
        $$"""{"items":[{"productCode":"{{Sugar}}","quantity":0}]}""",
        $$"""{"items":[{"productCode":"{{Sugar}}","quantity":10001}]}""",
        $$"""{"items":[{{string.Join(",", Enumerable.Repeat($$"""{"productCode":"{{Sugar}}","quantity":1}""", 201))}}]}""",
        $$"""{"items":[{"productCode":"{{Sugar}}","quantity":1}],"colour":"red"}""",
        """{"text":""}""",
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task What_intake_refuses_a_quote_refuses_with_the_same_problem(string body)
    {
        using var retailer = await fixture.LoginAsync(ApiClient.Retailer1Phone);

        using var quoted = await retailer.PostAsync("/api/v1/orders/quote", ApiClient.Json(body));
        using var submitted = await retailer.PostAsync("/api/v1/orders", ApiClient.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, quoted.StatusCode);
        Assert.Equal(submitted.StatusCode, quoted.StatusCode);
        Assert.Equal("application/problem+json", quoted.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await ErrorKeysAsync(submitted), await ErrorKeysAsync(quoted));
    }

    [Theory]
    [InlineData("vendors")]
    [InlineData("operator")]
    public async Task Only_a_retailer_may_ask_for_a_quote(string who)
    {
        var phone = who == "operator" ? ApiClient.OperatorPhone : ApiClient.DemoPhone(who, 0);
        using var client = await fixture.LoginAsync(phone);

        using var response = await client.PostAsync("/api/v1/orders/quote", ApiClient.Json($$"""{"items":[{"productCode":"{{Sugar}}","quantity":1}]}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_retailer_sees_each_products_cheapest_eligible_vendor_price_and_a_vendor_sees_no_price()
    {
        using var retailer = await fixture.LoginAsync((await fixture.NewRetailerAsync(creditLimit: 1_000m)).Phone);
        using var vendor = await fixture.LoginAsync(ApiClient.DemoPhone("vendors", 0));

        // The listing's prices may be a few seconds stale while other tests' orders reserve stock.
        await Eventually.UntilAsync(async () =>
        {
            var cheapest = (await fixture.ColumnAsync<string>("""
                SELECT p.code || '=' || min(vp.price) FROM vendor_products vp JOIN vendors v ON v.id = vp.vendor_id JOIN products p ON p.id = vp.product_id
                WHERE v.is_active AND p.is_active AND vp.stock - vp.reserved >= vp.min_order_quantity GROUP BY p.code
                """)).Select(r => r.Split('=')).ToDictionary(r => r[0], r => decimal.Parse(r[1], CultureInfo.InvariantCulture));
            var shown = (await retailer.GetFromJsonAsync<JsonElement>("/api/v1/products")).EnumerateArray()
                .Where(p => p.TryGetProperty("bestPrice", out _)).ToDictionary(p => p.GetProperty("code").GetString()!, p => p.Decimal("bestPrice"));
            return cheapest.Count > 0 && cheapest.Count == shown.Count && cheapest.All(c => shown.GetValueOrDefault(c.Key) == c.Value);
        }, seconds: 20, what: "best prices equal the cheapest eligible vendor prices");
        Assert.All((await vendor.GetFromJsonAsync<JsonElement>("/api/v1/products")).EnumerateArray(), p => Assert.False(p.TryGetProperty("bestPrice", out _)));
    }

    private static async Task<JsonElement> QuoteAsync(HttpClient retailer, string body)
    {
        using var response = await retailer.PostAsync("/api/v1/orders/quote", ApiClient.Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string[]> ErrorKeysAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(e => e.Name).Order()] : [];
    }

    private Task<long> ReservedAsync() => fixture.ScalarAsync<long>(
        "SELECT coalesce(sum(reserved), 0) FROM vendor_products WHERE product_id IN (SELECT id FROM products WHERE code IN (@a, @b))", ("a", Sugar), ("b", Atta));

    private async Task<Guid[]> ProductIdsAsync(params string[] codes) =>
        [.. await Task.WhenAll(codes.Select(c => fixture.ScalarAsync<Guid>("SELECT id FROM products WHERE code = @c", ("c", c))))];

    private Task SetLeadTimeAsync(int days, Guid? vendorId, string? code = null) => fixture.ExecuteAsync($"""
        UPDATE vendor_products SET lead_time_days = @d
        WHERE product_id IN (SELECT id FROM products WHERE code IN (@a, @b) AND (@code = '' OR code = @code)) {(vendorId is null ? "" : "AND vendor_id = @v")}
        """, ("d", days), ("a", Sugar), ("b", Atta), ("code", code ?? ""), ("v", vendorId ?? Guid.Empty));
}
