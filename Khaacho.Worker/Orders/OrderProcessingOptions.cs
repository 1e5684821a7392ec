using System.ComponentModel.DataAnnotations;

namespace Khaacho.Worker.Orders;

/// <summary>Section <c>Orders</c> of the orders worker; the routing weights in it are <see cref="Core.Orders.RoutingOptions"/>.</summary>
public sealed class OrderProcessingOptions
{
    public const string Section = "Orders";

    /// <summary>How long a vendor has to accept a confirmed order before it is rerouted.</summary>
    public TimeSpan AcceptanceDeadline { get; set; } = TimeSpan.FromHours(2);
    /// <summary>How often missed deadlines (acceptance and review) are looked for.</summary>
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Reroutes after rejections or missed deadlines before the order fails with <c>no_vendor</c>.</summary>
    public int MaxReroutes { get; set; } = 3;
    /// <summary>Risk score (0–100) at which an order waits for a person's review instead of going on to confirmation.</summary>
    [Range(0, 101)]
    public int RiskThreshold { get; set; } = 70;
    /// <summary>How long an order waits for a review before it fails as <c>review_expired</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ReviewExpiry { get; set; } = TimeSpan.FromHours(24);
}
