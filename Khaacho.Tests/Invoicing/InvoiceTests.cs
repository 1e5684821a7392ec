using Khaacho.Core.Credit;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Core.Invoicing;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Invoicing;

[Collection(AppCollection.Name)]
public sealed class InvoiceTests(KhaachoAppFixture fixture)
{
    private const string OperatorPhone = "+9779800000002";
    private const string VendorCode = "V001";

    [Fact]
    public async Task Fifty_concurrent_deliveries_of_one_vendor_take_consecutive_invoice_numbers_with_no_gap_or_duplicate()
    {
        var orders = await DispatchedOrdersAsync(50, "DAL-MOONG-1KG");
        using var vendor = await fixture.LoginAsync(await VendorPhoneAsync());

        var statuses = await Task.WhenAll(orders.Select(async id =>
        {
            using var response = await vendor.PatchAsJsonAsync($"/api/v1/orders/{id}/status", new { status = "delivered" });
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var invoices = await Task.WhenAll(orders.Select(id => vendor.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/invoice")));
        var sequences = invoices.Select(i => i.GetProperty("sequence").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range(sequences[0], 50), sequences);
        Assert.All(invoices, i => Assert.Equal(
            InvoiceNumbers.Format(VendorCode, CurrentFiscalYear(), i.GetProperty("sequence").GetInt32()), i.GetProperty("number").GetString()));
        await AssertVendorNumbersHaveNoGapAsync();
    }

    [Fact]
    public async Task A_delivery_that_rolls_back_gives_its_number_back()
    {
        var orders = await DispatchedOrdersAsync(2, "DAL-MOONG-1KG");
        using var vendor = await fixture.LoginAsync(await VendorPhoneAsync());
        // The invoice insert fails for the first order only, after its number was taken: the whole delivery rolls back.
        await fixture.ExecuteAsync($"""
            CREATE FUNCTION test_refuse_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'refused by a test' USING ERRCODE = 'check_violation'; END $$;
            CREATE TRIGGER test_refuse_invoice BEFORE INSERT ON invoices FOR EACH ROW
              WHEN (NEW.order_id = '{orders[0]}') EXECUTE FUNCTION test_refuse_invoice();
            """);
        var before = await LastNumberAsync();
        HttpStatusCode refused;
        try
        {
            using var response = await vendor.PatchAsJsonAsync($"/api/v1/orders/{orders[0]}/status", new { status = "delivered" });
            refused = response.StatusCode;
        }
        finally
        {
            await fixture.ExecuteAsync("DROP TRIGGER test_refuse_invoice ON invoices; DROP FUNCTION test_refuse_invoice();");
        }
        var afterRefusal = await LastNumberAsync();
        using var delivered = await vendor.PatchAsJsonAsync($"/api/v1/orders/{orders[1]}/status", new { status = "delivered" });

        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal(before, afterRefusal);
        Assert.Equal("dispatched", (await vendor.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orders[0]}/status")).GetProperty("orderStatus").GetString());
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        var invoice = await vendor.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orders[1]}/invoice");
        Assert.Equal(before + 1, invoice.GetProperty("sequence").GetInt32());
        await AssertVendorNumbersHaveNoGapAsync();
    }

    [Fact]
    public async Task An_invoice_adds_up_and_names_seller_and_buyer_with_their_PANs()
    {
        var order = (await DispatchedOrdersAsync(1, "RICE-JEERA-25KG", "OIL-MUSTARD-1L", quantity: 3, retailers: [0]))[0];
        using var vendor = await fixture.LoginAsync(await VendorPhoneAsync());
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 0));

        using var early = await retailer.GetAsync($"/api/v1/orders/{order}/invoice");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal("No invoice yet", (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await vendor.PatchAsJsonAsync($"/api/v1/orders/{order}/status", new { status = "delivered" })).StatusCode);

        using var response = await retailer.GetAsync($"/api/v1/orders/{order}/invoice");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var invoice = await response.Content.ReadFromJsonAsync<JsonElement>();
        var lines = invoice.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(
            Khaacho.Core.Orders.OrderPricing.Round(l.GetProperty("unitPrice").GetDecimal() * l.GetProperty("quantity").GetInt32()), l.GetProperty("amount").GetDecimal()));
        var taxable = invoice.GetProperty("taxable").GetDecimal();
        var vat = invoice.GetProperty("vat").GetDecimal();
        Assert.Equal(lines.Sum(l => l.GetProperty("amount").GetDecimal()), taxable);
        Assert.Equal(Khaacho.Core.Orders.OrderPricing.Round(taxable * 0.13m), vat);
        Assert.Equal(taxable + vat, invoice.GetProperty("total").GetDecimal());
        Assert.Equal(AmountInWords.Npr(taxable + vat), invoice.GetProperty("totalInWords").GetString());
        var detail = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{order}");
        Assert.Equal(detail.GetProperty("total").GetDecimal(), invoice.GetProperty("total").GetDecimal());
        Assert.Equal("Surkhet Traders", invoice.GetProperty("seller").GetProperty("name").GetString());
        Assert.Equal(await fixture.ScalarAsync<string>("SELECT pan FROM vendors WHERE code = @c", ("c", VendorCode)), invoice.GetProperty("seller").GetProperty("pan").GetString());
        Assert.Equal(await fixture.ScalarAsync<string>("SELECT pan FROM retailers WHERE code = 'R001'"), invoice.GetProperty("buyer").GetProperty("pan").GetString());
        var dateBs = invoice.GetProperty("dateBs").GetString()!.Split('-').Select(int.Parse).ToArray();
        Assert.Equal(DateOnly.Parse(invoice.GetProperty("dateAd").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            BikramSambat.ToGregorian(new BsDate(dateBs[0], dateBs[1], dateBs[2])));
        Assert.Equal(CurrentFiscalYear().ToString(), invoice.GetProperty("fiscalYear").GetString());
    }

    [Fact]
    public async Task Only_the_order_s_retailer_its_vendor_and_staff_see_its_invoice()
    {
        var order = (await DispatchedOrdersAsync(1, "DAL-MOONG-1KG", retailers: [1]))[0];
        using var vendor = await fixture.LoginAsync(await VendorPhoneAsync());
        Assert.Equal(HttpStatusCode.OK, (await vendor.PatchAsJsonAsync($"/api/v1/orders/{order}/status", new { status = "delivered" })).StatusCode);
        var otherVendorPhone = await fixture.ScalarAsync<string>("SELECT phone FROM vendors WHERE code <> @c ORDER BY code LIMIT 1", ("c", VendorCode));

        foreach (var (phone, expected) in new[]
        {
            (ApiClient.DemoPhone("retailers", 1), HttpStatusCode.OK), (await VendorPhoneAsync(), HttpStatusCode.OK),
            (ApiClient.AdminPhone, HttpStatusCode.OK), (OperatorPhone, HttpStatusCode.OK),
            (ApiClient.DemoPhone("retailers", 2), HttpStatusCode.NotFound), (otherVendorPhone, HttpStatusCode.NotFound),
        })
        {
            using var client = await fixture.LoginAsync(phone);
            using var json = await client.GetAsync($"/api/v1/orders/{order}/invoice");
            using var pdf = await client.GetAsync($"/api/v1/orders/{order}/invoice.pdf");
            Assert.True(expected == json.StatusCode, $"{phone}: {json.StatusCode}");
            Assert.True(expected == pdf.StatusCode, $"{phone}: {pdf.StatusCode} for the PDF");
            if (expected == HttpStatusCode.NotFound) Assert.Equal("application/problem+json", pdf.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_PDF_of_a_delivered_order_renders_its_invoice()
    {
        var order = (await DispatchedOrdersAsync(1, "RICE-JEERA-25KG", "OIL-MUSTARD-1L", "DAL-MOONG-1KG", quantity: 2, retailers: [0]))[0];
        using var vendor = await fixture.LoginAsync(await VendorPhoneAsync());
        Assert.Equal(HttpStatusCode.OK, (await vendor.PatchAsJsonAsync($"/api/v1/orders/{order}/status", new { status = "delivered" })).StatusCode);
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 0));
        var invoice = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{order}/invoice");

        using var request = new HttpRequestMessage(HttpMethod.Get, invoice.GetProperty("pdfUrl").GetString());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pdf"));
        using var response = await retailer.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(1, await PdfTools.PageCountAsync(pdf));
        var text = await PdfTools.TextAsync(pdf);
        Assert.Contains(invoice.GetProperty("number").GetString()!, text);
        Assert.Contains(NprFormatOf(invoice, "total"), text);
        Assert.Contains(invoice.GetProperty("totalInWords").GetString()!, text.Replace("\n", " "));
        var png = await PdfTools.FirstPagePngAsync(pdf);
        PdfTools.AssertIsPng(png, minimumBytes: 10_000);
        var saved = Path.Combine(Path.GetTempPath(), "khaacho-invoice.png");
        await File.WriteAllBytesAsync(saved, png);
        Console.WriteLine($"invoice page image: {saved}");
    }

    private static string NprFormatOf(JsonElement invoice, string field) => Money.Figures(invoice.GetProperty(field).GetDecimal());

    private static FiscalYear CurrentFiscalYear() => FiscalYear.Of(BikramSambat.FromGregorian(NepalTime.DayOf(DateTimeOffset.UtcNow)));

    /// <summary>Orders submitted to the demo vendor by several retailers, confirmed, accepted and dispatched by the vendor.</summary>
    private async Task<List<Guid>> DispatchedOrdersAsync(int count, string product, string? second = null, string? third = null, int quantity = 1, int[]? retailers = null)
    {
        retailers ??= [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        var vendorId = await fixture.ScalarAsync<Guid>("SELECT id FROM vendors WHERE code = @c", ("c", VendorCode));
        var items = new[] { product, second, third }.OfType<string>().Select(code => new { productCode = code, quantity }).ToArray();
        var body = JsonSerializer.Serialize(new { vendorId, items });
        var clients = new List<HttpClient>();
        foreach (var index in retailers) clients.Add(await fixture.LoginAsync(ApiClient.DemoPhone("retailers", index)));
        using var vendor = await fixture.LoginAsync(await VendorPhoneAsync());
        try
        {
            return [.. await Task.WhenAll(Enumerable.Range(0, count).Select(async n =>
            {
                var retailer = clients[n % clients.Count];
                var id = await retailer.SubmitAsync(body);
                var status = await retailer.WaitForStatusAsync(id, "confirmed", "failed");
                Assert.True("confirmed" == status.GetProperty("orderStatus").GetString(), status.ToString());
                Assert.Equal(vendorId, status.GetProperty("result").GetProperty("vendorId").GetGuid());
                foreach (var next in new[] { "accepted", "dispatched" })
                {
                    using var moved = await vendor.PatchAsJsonAsync($"/api/v1/orders/{id}/status", new { status = next });
                    Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
                }
                return id;
            }))];
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private Task<string> VendorPhoneAsync() => fixture.ScalarAsync<string>("SELECT phone FROM vendors WHERE code = @c", ("c", VendorCode));

    private async Task<int> LastNumberAsync()
    {
        var numbers = await fixture.ColumnAsync<int>("""
            SELECT c.last_number FROM invoice_counters c JOIN vendors v ON v.id = c.vendor_id WHERE v.code = @c AND c.fiscal_year = @y
            """, ("c", VendorCode), ("y", CurrentFiscalYear().StartYear));
        return numbers.SingleOrDefault();
    }

    /// <summary>The vendor's invoices this fiscal year are numbered exactly 1..n, and its counter says n.</summary>
    private async Task AssertVendorNumbersHaveNoGapAsync()
    {
        var sequences = await fixture.ColumnAsync<int>("""
            SELECT i.sequence FROM invoices i JOIN vendors v ON v.id = i.vendor_id WHERE v.code = @c AND i.fiscal_year = @y ORDER BY 1
            """, ("c", VendorCode), ("y", CurrentFiscalYear().StartYear));
        Assert.Equal(Enumerable.Range(1, sequences.Count), sequences);
        Assert.Equal(sequences.Count, await LastNumberAsync());
    }
}
