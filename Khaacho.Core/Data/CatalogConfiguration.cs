using Khaacho.Core.Catalog;
using Khaacho.Core.Credit;
using Khaacho.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Khaacho.Core.Data;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> product)
    {
        product.HasIndex(p => p.Code).IsUnique();
        product.HasIndex(p => p.Category);
        product.Property(p => p.Code).HasMaxLength(64);
        product.Property(p => p.Name).HasMaxLength(200);
        product.Property(p => p.Category).HasMaxLength(64);
        product.Property(p => p.Unit).HasMaxLength(32);
        product.Property(p => p.PackSize).HasMaxLength(32);
    }
}

internal sealed class VendorConfiguration : IEntityTypeConfiguration<Vendor>
{
    public void Configure(EntityTypeBuilder<Vendor> vendor)
    {
        vendor.ToTable(table => table.HasCheckConstraint("ck_vendors_pan", "pan ~ '^[0-9]{9}$'"));
        vendor.HasIndex(v => v.Code).IsUnique();
        vendor.Property(v => v.Code).HasMaxLength(32);
        vendor.Property(v => v.Name).HasMaxLength(200);
        vendor.Property(v => v.Phone).HasMaxLength(20);
        vendor.Property(v => v.City).HasMaxLength(100);
        vendor.Property(v => v.Province).HasMaxLength(100);
        vendor.Property(v => v.Pan).HasMaxLength(9);
        vendor.Property(v => v.Address).HasMaxLength(200);
        vendor.Property(v => v.Rating).HasPrecision(3, 2);
        vendor.HasMany(v => v.Products).WithOne().HasForeignKey(vp => vp.VendorId);
    }
}

internal sealed class VendorProductConfiguration : IEntityTypeConfiguration<VendorProduct>
{
    public void Configure(EntityTypeBuilder<VendorProduct> offer)
    {
        offer.ToTable("vendor_products", table =>
        {
            table.HasCheckConstraint("ck_vendor_products_stock", "stock >= 0");
            table.HasCheckConstraint("ck_vendor_products_reserved", "reserved >= 0 AND reserved <= stock");
        });
        offer.HasIndex(vp => new { vp.VendorId, vp.ProductId }).IsUnique();
        offer.HasIndex(vp => vp.ProductId);
        offer.HasOne(vp => vp.Product).WithMany().HasForeignKey(vp => vp.ProductId);
    }
}

internal sealed class RetailerConfiguration : IEntityTypeConfiguration<Retailer>
{
    public void Configure(EntityTypeBuilder<Retailer> retailer)
    {
        retailer.ToTable(table => table.HasCheckConstraint("ck_retailers_pan", "pan ~ '^[0-9]{9}$'"));
        retailer.HasIndex(r => r.Code).IsUnique();
        retailer.Property(r => r.Code).HasMaxLength(32);
        retailer.Property(r => r.ShopName).HasMaxLength(200);
        retailer.Property(r => r.Phone).HasMaxLength(20);
        retailer.Property(r => r.City).HasMaxLength(100);
        retailer.Property(r => r.Province).HasMaxLength(100);
        retailer.Property(r => r.BlockedReason).HasMaxLength(CreditChange.MaxReasonLength);
        retailer.Property(r => r.PaymentTermsDays).HasDefaultValue(30);
        // Every balance move updates the three together (CreditMoves); the database refuses any that does not.
        retailer.ToTable(t => t.HasCheckConstraint("ck_retailers_available", "available_credit = credit_limit - outstanding - reserved"));
        retailer.Property(r => r.Pan).HasMaxLength(9);
        retailer.Property(r => r.Address).HasMaxLength(200);
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.HasIndex(u => u.Phone).IsUnique();
        user.Property(u => u.Phone).HasMaxLength(20);
        user.Property(u => u.DisplayName).HasMaxLength(200);
        user.HasOne<Retailer>().WithMany().HasForeignKey(u => u.RetailerId);
        user.HasOne<Vendor>().WithMany().HasForeignKey(u => u.VendorId);
    }
}
