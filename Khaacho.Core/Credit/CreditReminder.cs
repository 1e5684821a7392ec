namespace Khaacho.Core.Credit;

/// <summary>A payment reminder sent to a retailer on a Nepal day: at most one a day, whichever worker sends it.</summary>
public sealed class CreditReminder
{
    public Guid RetailerId { get; set; }
    public DateOnly Day { get; set; }
    public decimal Overdue { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
