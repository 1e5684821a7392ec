using System.ComponentModel.DataAnnotations;

namespace Khaacho.Worker.Sweeping;

/// <summary>Section <c>Sweeper</c> of the orders worker: how work that Redis lost is found again in PostgreSQL.</summary>
public sealed class SweeperOptions
{
    public const string Section = "Sweeper";

    /// <summary>How often the sweeper looks.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// An order in a pipeline state (received, parsing, parsed, validated, rejected_by_vendor) unchanged this long has
    /// lost its message; each later redrive waits twice as long (at most 16 times this). Longer than a step takes with
    /// its retries (about a minute), so a slow order is not driven twice for nothing.
    /// </summary>
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Redrives before the order fails with <c>stalled</c> and a reason the retailer can read.</summary>
    [Range(1, 100)]
    public int MaxRedrives { get; set; } = 10;
    /// <summary>A pending notification queued this long ago without being delivered is queued again.</summary>
    public TimeSpan NotificationStalledAfter { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>A WhatsApp message stored by the webhook and queued this long ago without being handled is queued again (longer than a model read takes).</summary>
    public TimeSpan InboxStalledAfter { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Orders (and notifications) looked at per pass.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;
}
