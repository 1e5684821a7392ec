using Khaacho.Api.Invoicing;
using Khaacho.Core.Invoicing;

namespace Khaacho.Tests.Invoicing;

public sealed class InvoicePdfTests
{
    [Fact]
    public async Task An_invoice_renders_as_one_A4_page_with_its_number_parties_amounts_and_words()
    {
        var pdf = InvoicePdf.Render(Sample(lines: 3));

        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        Assert.Equal(1, await PdfTools.PageCountAsync(pdf));
        var text = await PdfTools.TextAsync(pdf);
        foreach (var expected in new[]
        {
            "TAX INVOICE", "V001/2082-83/000042", "2082-83", "21 Mangsir 2082", "2025-12-06", "Surkhet Traders", "301234567",
            "Sharma Kirana Pasal", "not registered", "Taxable amount", "VAT 13%", "1,01,700.00", "13,221.00", "1,14,921.00",
            "Rupees one lakh fourteen thousand nine hundred twenty-one only",
        })
        {
            Assert.Contains(expected, text);
        }
        PdfTools.AssertIsPng(await PdfTools.FirstPagePngAsync(pdf), minimumBytes: 10_000);
    }

    [Fact]
    public async Task Many_lines_continue_on_further_pages_with_every_line_printed()
    {
        var pdf = InvoicePdf.Render(Sample(lines: 120));

        Assert.True(await PdfTools.PageCountAsync(pdf) >= 3);
        var text = await PdfTools.TextAsync(pdf);
        Assert.Contains("Product number 120", text);
        Assert.Contains("page 1 of", text);
        Assert.Contains("Rupees", text);
    }

    private static InvoiceView Sample(int lines)
    {
        var items = Enumerable.Range(1, lines)
            .Select(n => new InvoiceLineView(n, $"P{n:D3}", n == 1 ? "Jeera Masino Rice 25kg, the long-grained kind retailers ask for by name" : $"Product number {n}", 10 * n, "bag", 3390m / n, 33_900m))
            .ToList();
        var taxable = items.Sum(i => i.Amount);
        var vat = Khaacho.Core.Orders.OrderPricing.Round(taxable * 0.13m);
        return new InvoiceView(
            "V001/2082-83/000042", "2082-83", 42, Guid.CreateVersion7(), "ORD-2612-000001", DateTimeOffset.UtcNow, "2082-08-21", new DateOnly(2025, 12, 6),
            new InvoiceParty("Surkhet Traders", "301234567", "Ward 6, Itram Road, Birendranagar, Karnali"),
            new InvoiceParty("Sharma Kirana Pasal", null, "Ward 8, Campus Road, Birendranagar, Karnali"),
            items, taxable, 0.13m, vat, taxable + vat, "NPR", AmountInWords.Npr(taxable + vat), "/api/v1/orders/x/invoice.pdf");
    }
}
