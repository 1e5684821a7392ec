using Khaacho.Core.Credit;
using System.Diagnostics.Metrics;
using Khaacho.Core.Data;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Khaacho.Core.Invoicing;

/// <summary>
/// Issues an order's VAT invoice when it is delivered, inside the transaction that delivers it: the number comes from
/// the vendor's counter row for the fiscal year, so a delivery that rolls back gives its number back, and two deliveries
/// of one vendor take numbers one after the other (the counter row stays locked until commit).
/// </summary>
public static partial class Invoices
{
    private static readonly Counter<long> Issued = KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.invoices.issued", description: "VAT invoices issued on delivery (counted in the delivering transaction)");

    public static async Task<Invoice> IssueAsync(OrderChange change, CancellationToken cancellationToken)
    {
        var (db, order, now) = change;
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("invoice.issue");
        activity?.SetTag("khaacho.order_id", order.Id);
        var vendorId = order.VendorId ?? throw new InvalidOperationException($"Order {order.Id} is delivered without a vendor.");

        var vendor = await db.Vendors.AsNoTracking().SingleAsync(v => v.Id == vendorId, cancellationToken);
        var retailer = await db.Retailers.AsNoTracking().SingleAsync(r => r.Id == order.RetailerId, cancellationToken);
        var productIds = order.Items.Select(i => i.ProductId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);

        var dateAd = NepalTime.DayOf(now);
        var dateBs = BikramSambat.FromGregorian(dateAd);
        var fiscalYear = FiscalYear.Of(dateBs);
        var sequence = await NextNumberAsync(db, vendorId, fiscalYear, cancellationToken);

        var lines = order.Items.OrderBy(i => i.Id)
            .Select((item, index) => new InvoiceLine
            {
                LineNumber = index + 1,
                ProductCode = products[item.ProductId].Code,
                Description = products[item.ProductId].Name,
                Quantity = item.Quantity,
                Unit = products[item.ProductId].Unit,
                UnitPrice = item.UnitPrice,
                Amount = OrderPricing.Round(item.UnitPrice * item.Quantity),
            }).ToList();
        var taxable = lines.Sum(l => l.Amount);
        var vat = OrderPricing.Round(taxable * Order.VatRate);
        var invoice = new Invoice
        {
            Id = Guid.CreateVersion7(now),
            OrderId = order.Id,
            OrderCreatedAt = order.CreatedAt,
            OrderNumber = order.OrderNumber,
            VendorId = vendorId,
            RetailerId = order.RetailerId,
            FiscalYear = fiscalYear.StartYear,
            Sequence = sequence,
            Number = InvoiceNumbers.Format(vendor.Code, fiscalYear, sequence),
            IssuedAt = now,
            DateAd = dateAd,
            DateBs = dateBs.ToString(),
            SellerName = vendor.Name,
            SellerPan = vendor.Pan,
            SellerAddress = AddressOf(vendor.Address, vendor.City, vendor.Province),
            BuyerName = retailer.ShopName,
            BuyerPan = retailer.Pan,
            BuyerAddress = AddressOf(retailer.Address, retailer.City, retailer.Province),
            Taxable = taxable,
            VatRate = Order.VatRate,
            Vat = vat,
            Total = taxable + vat,
            Currency = order.Currency,
            TotalInWords = AmountInWords.Npr(taxable + vat),
            Lines = lines,
        };
        db.Invoices.Add(invoice);

        Issued.Add(1);
        activity?.SetTag("khaacho.invoice_number", invoice.Number);
        LogIssued(db.GetService<ILoggerFactory>().CreateLogger(typeof(Invoices)), order.Id, invoice.Number, invoice.Total);
        return invoice;
    }

    /// <summary>
    /// Takes the vendor's next number for the fiscal year. The upsert locks the counter row until the transaction ends,
    /// so the next delivery of this vendor waits here and then sees this one's number, or the old one if this rolled back.
    /// </summary>
    private static async Task<int> NextNumberAsync(KhaachoDbContext db, Guid vendorId, FiscalYear fiscalYear, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<int>($"""
            INSERT INTO invoice_counters AS c (vendor_id, fiscal_year, last_number) VALUES ({vendorId}, {fiscalYear.StartYear}, 1)
            ON CONFLICT (vendor_id, fiscal_year) DO UPDATE SET last_number = c.last_number + 1
            RETURNING c.last_number AS "Value"
            """).ToListAsync(cancellationToken)).Single();

    private static string AddressOf(string? street, string city, string province) =>
        string.Join(", ", new[] { street, city, province }.Where(part => !string.IsNullOrWhiteSpace(part)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: invoice {InvoiceNumber} issued for {Total} NPR")]
    private static partial void LogIssued(ILogger logger, Guid orderId, string invoiceNumber, decimal total);
}
