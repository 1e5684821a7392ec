using Khaacho.Core.Catalog;
using Khaacho.Core.Invoicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Khaacho.Core.Data;

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> invoice)
    {
        invoice.ToTable("invoices", table =>
        {
            table.HasCheckConstraint("ck_invoices_sequence", "sequence >= 1");
            table.HasCheckConstraint("ck_invoices_total", "total = taxable + vat");
        });
        // One invoice per order. No foreign key to orders: partition maintenance detaches old order partitions.
        invoice.HasIndex(i => i.OrderId).IsUnique();
        // A number is never given twice; the counter makes it never skipped.
        invoice.HasIndex(i => new { i.VendorId, i.FiscalYear, i.Sequence }).IsUnique();
        invoice.HasIndex(i => new { i.RetailerId, i.IssuedAt });
        invoice.Property(i => i.OrderNumber).HasMaxLength(32);
        invoice.Property(i => i.Number).HasMaxLength(64);
        invoice.Property(i => i.DateBs).HasMaxLength(10);
        invoice.Property(i => i.SellerName).HasMaxLength(200);
        invoice.Property(i => i.SellerPan).HasMaxLength(9);
        invoice.Property(i => i.SellerAddress).HasMaxLength(400);
        invoice.Property(i => i.BuyerName).HasMaxLength(200);
        invoice.Property(i => i.BuyerPan).HasMaxLength(9);
        invoice.Property(i => i.BuyerAddress).HasMaxLength(400);
        invoice.Property(i => i.VatRate).HasPrecision(5, 4);
        invoice.Property(i => i.Currency).HasMaxLength(3);
        invoice.Property(i => i.TotalInWords).HasMaxLength(400);
        invoice.HasOne<Vendor>().WithMany().HasForeignKey(i => i.VendorId).OnDelete(DeleteBehavior.Restrict);
        invoice.HasOne<Retailer>().WithMany().HasForeignKey(i => i.RetailerId).OnDelete(DeleteBehavior.Restrict);
        invoice.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId);
    }
}

internal sealed class InvoiceLineConfiguration : IEntityTypeConfiguration<InvoiceLine>
{
    public void Configure(EntityTypeBuilder<InvoiceLine> line)
    {
        line.ToTable("invoice_lines", table => table.HasCheckConstraint("ck_invoice_lines_quantity", "quantity > 0"));
        line.HasKey(l => new { l.InvoiceId, l.LineNumber });
        line.Property(l => l.ProductCode).HasMaxLength(64);
        line.Property(l => l.Description).HasMaxLength(200);
        line.Property(l => l.Unit).HasMaxLength(32);
    }
}

internal sealed class InvoiceCounterConfiguration : IEntityTypeConfiguration<InvoiceCounter>
{
    public void Configure(EntityTypeBuilder<InvoiceCounter> counter)
    {
        counter.ToTable("invoice_counters", table => table.HasCheckConstraint("ck_invoice_counters_last_number", "last_number >= 1"));
        counter.HasKey(c => new { c.VendorId, c.FiscalYear });
        counter.HasOne<Vendor>().WithMany().HasForeignKey(c => c.VendorId).OnDelete(DeleteBehavior.Restrict);
    }
}
