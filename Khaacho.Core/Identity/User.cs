namespace Khaacho.Core.Identity;

public sealed class User
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Phone { get; set; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public UserRole Role { get; set; }
    public Guid? RetailerId { get; set; }
    public Guid? VendorId { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

public enum UserRole
{
    Retailer,
    Vendor,
    Admin,
    /// <summary>Support staff: payments, statements, the review queue and cancelling on a retailer's behalf; not the admin's operations.</summary>
    Operator,
}
