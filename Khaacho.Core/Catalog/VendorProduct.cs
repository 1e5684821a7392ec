namespace Khaacho.Core.Catalog;

/// <summary>What one vendor sells of one product: its price, and stock of which <see cref="Reserved"/> is promised to confirmed orders.</summary>
public sealed class VendorProduct
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VendorId { get; set; }
    public Guid ProductId { get; set; }
    public decimal Price { get; set; }
    public int Stock { get; set; }
    public int Reserved { get; set; }
    public int MinOrderQuantity { get; set; } = 1;
    public int LeadTimeDays { get; set; }
    public Product? Product { get; set; }
}
