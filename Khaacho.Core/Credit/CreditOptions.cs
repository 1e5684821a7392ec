using System.ComponentModel.DataAnnotations;

namespace Khaacho.Core.Credit;

/// <summary>Section <c>Credit</c>: the khata's warnings, reminders and reconciliation.</summary>
public sealed class CreditOptions
{
    public const string Section = "Credit";

    /// <summary>Share of the limit in use (owed + held) at which the retailer is warned, once per crossing.</summary>
    [Range(0.01, 1.0)]
    public decimal WarningShare { get; set; } = 0.9m;

    /// <summary>Nepal time of day at which retailers with overdue amounts are reminded, once a day.</summary>
    public TimeOnly ReminderTime { get; set; } = new(10, 0);

    /// <summary>How often the reminder job looks whether today's reminders are due.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReminderCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often every retailer's balances are checked against the ledger and its orders.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);
}
