namespace Khaacho.Core.Invoicing;

/// <summary>
/// A VAT invoice, issued once per order when it is delivered. Everything printed on it is copied here (seller, buyer,
/// lines, amounts, words), so it reads the same however the catalogue, the prices or the parties change later.
/// </summary>
public sealed class Invoice
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public DateTimeOffset OrderCreatedAt { get; set; }
    public required string OrderNumber { get; set; }
    public Guid VendorId { get; set; }
    public Guid RetailerId { get; set; }
    /// <summary>The BS year the fiscal year starts in: 2082 for 2082-83.</summary>
    public int FiscalYear { get; set; }
    /// <summary>1, 2, 3... per vendor and fiscal year, from <c>invoice_counters</c>.</summary>
    public int Sequence { get; set; }
    /// <summary>As printed: <c>V001/2082-83/000001</c>.</summary>
    public required string Number { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    /// <summary>The day of issue in Nepal, Gregorian.</summary>
    public DateOnly DateAd { get; set; }
    /// <summary>The same day in Bikram Sambat, <c>2082-08-19</c>.</summary>
    public required string DateBs { get; set; }
    public required string SellerName { get; set; }
    public string? SellerPan { get; set; }
    public required string SellerAddress { get; set; }
    public required string BuyerName { get; set; }
    public string? BuyerPan { get; set; }
    public required string BuyerAddress { get; set; }
    public decimal Taxable { get; set; }
    public decimal VatRate { get; set; }
    public decimal Vat { get; set; }
    public decimal Total { get; set; }
    public required string Currency { get; set; }
    public required string TotalInWords { get; set; }
    public List<InvoiceLine> Lines { get; set; } = [];
}

public sealed class InvoiceLine
{
    public Guid InvoiceId { get; set; }
    /// <summary>1-based, in the order printed.</summary>
    public int LineNumber { get; set; }
    public required string ProductCode { get; set; }
    public required string Description { get; set; }
    public int Quantity { get; set; }
    public required string Unit { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal Amount { get; set; }
}

/// <summary>The next invoice number of one vendor in one fiscal year: a row updated inside the delivering transaction.</summary>
public sealed class InvoiceCounter
{
    public Guid VendorId { get; set; }
    public int FiscalYear { get; set; }
    public int LastNumber { get; set; }
}
