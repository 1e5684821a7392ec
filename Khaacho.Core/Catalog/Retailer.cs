namespace Khaacho.Core.Catalog;

public sealed class Retailer
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string ShopName { get; set; }
    public required string Phone { get; set; }
    public required string City { get; set; }
    public required string Province { get; set; }
    /// <summary>Permanent Account Number (9 digits), where the shop has one: printed as the buyer's on invoices.</summary>
    public string? Pan { get; set; }
    /// <summary>Street or tole and ward, before <see cref="City"/> and <see cref="Province"/> on an invoice.</summary>
    public string? Address { get; set; }
    public decimal CreditLimit { get; set; }
    /// <summary>Credit the retailer can still spend: limit minus outstanding minus reserved for open orders.</summary>
    public decimal AvailableCredit { get; set; }
    public decimal Outstanding { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
