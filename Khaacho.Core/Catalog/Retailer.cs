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
    /// <summary>Credit the retailer can still spend: limit minus outstanding minus reserved (a CHECK keeps it so).</summary>
    public decimal AvailableCredit { get; set; }
    /// <summary>What the retailer owes for delivered orders, less what it paid: the khata balance.</summary>
    public decimal Outstanding { get; set; }
    /// <summary>What open orders (confirmed, accepted, dispatched) hold until delivery or release.</summary>
    public decimal Reserved { get; set; }
    /// <summary>Days after delivery by which a charge is due; a charge older than this is overdue.</summary>
    public int PaymentTermsDays { get; set; } = 30;
    /// <summary>A credit hold by staff: the retailer's new orders fail with <see cref="BlockedReason"/>.</summary>
    public bool IsBlocked { get; set; }
    public string? BlockedReason { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
