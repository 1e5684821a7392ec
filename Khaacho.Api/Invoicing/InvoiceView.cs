using Khaacho.Core.Invoicing;

namespace Khaacho.Api.Invoicing;

/// <summary>A VAT invoice as issued on delivery: amounts in NPR with paisa, VAT shown separately.</summary>
/// <param name="Number">Per seller and fiscal year, never reused or skipped: <c>V001/2082-83/000123</c>.</param>
/// <param name="FiscalYear">Nepal's fiscal year (1 Shrawan to the end of Asar) the invoice counts in: <c>2082-83</c>.</param>
/// <param name="DateBs">The day of issue in Nepal, Bikram Sambat: <c>2082-08-21</c>.</param>
/// <param name="DateAd">The same day, Gregorian.</param>
/// <param name="Taxable">The sum of the lines' amounts, before VAT.</param>
/// <param name="Vat">13% of the taxable amount, rounded to the paisa (half away from zero).</param>
/// <param name="Total">Taxable plus VAT.</param>
public sealed record InvoiceView(
    string Number, string FiscalYear, int Sequence, Guid OrderId, string OrderNumber, DateTimeOffset IssuedAt, string DateBs, DateOnly DateAd,
    InvoiceParty Seller, InvoiceParty Buyer, IReadOnlyList<InvoiceLineView> Lines,
    decimal Taxable, decimal VatRate, decimal Vat, decimal Total, string Currency, string TotalInWords, string PdfUrl)
{
    public static InvoiceView From(Invoice invoice) => new(
        invoice.Number, new FiscalYear(invoice.FiscalYear).ToString(), invoice.Sequence, invoice.OrderId, invoice.OrderNumber, invoice.IssuedAt,
        invoice.DateBs, invoice.DateAd,
        new InvoiceParty(invoice.SellerName, invoice.SellerPan, invoice.SellerAddress),
        new InvoiceParty(invoice.BuyerName, invoice.BuyerPan, invoice.BuyerAddress),
        [.. invoice.Lines.OrderBy(l => l.LineNumber).Select(l => new InvoiceLineView(l.LineNumber, l.ProductCode, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.Amount))],
        invoice.Taxable, invoice.VatRate, invoice.Vat, invoice.Total, invoice.Currency, invoice.TotalInWords,
        $"/api/v1/orders/{invoice.OrderId}/invoice.pdf");
}

/// <param name="Pan">Permanent Account Number (9 digits); null when the buyer has none on file.</param>
public sealed record InvoiceParty(string Name, string? Pan, string Address);

public sealed record InvoiceLineView(int LineNumber, string ProductCode, string Description, int Quantity, string Unit, decimal UnitPrice, decimal Amount);
