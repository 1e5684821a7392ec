namespace Khaacho.Core.Catalog;

public sealed class Vendor
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Phone { get; set; }
    public required string City { get; set; }
    public required string Province { get; set; }
    /// <summary>Permanent Account Number (9 digits) from the Inland Revenue Department: printed on its VAT invoices.</summary>
    public string? Pan { get; set; }
    /// <summary>Street or tole and ward, before <see cref="City"/> and <see cref="Province"/> on an invoice.</summary>
    public string? Address { get; set; }
    public decimal Rating { get; set; }
    public bool IsActive { get; set; } = true;
    public List<VendorProduct> Products { get; set; } = [];
}
