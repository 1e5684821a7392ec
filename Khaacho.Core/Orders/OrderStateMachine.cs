using System.Collections.Frozen;

namespace Khaacho.Core.Orders;

/// <summary>The one place that knows which status may follow which.</summary>
public static class OrderStateMachine
{
    private static readonly FrozenDictionary<OrderStatus, OrderStatus[]> Forward = new Dictionary<OrderStatus, OrderStatus[]>
    {
        [OrderStatus.Received] = [OrderStatus.Parsing, OrderStatus.Validated, OrderStatus.AwaitingReview],
        [OrderStatus.Parsing] = [OrderStatus.Parsed, OrderStatus.NeedsClarification],
        [OrderStatus.Parsed] = [OrderStatus.Validated, OrderStatus.AwaitingReview],
        [OrderStatus.NeedsClarification] = [OrderStatus.Parsing],
        // Approval continues the pipeline from validation; rejection and expiry fail the order.
        [OrderStatus.AwaitingReview] = [OrderStatus.Validated],
        [OrderStatus.Validated] = [OrderStatus.Confirmed],
        [OrderStatus.Confirmed] = [OrderStatus.Accepted, OrderStatus.RejectedByVendor],
        // A rejected order is rerouted: it goes back through confirmation with the next vendor.
        [OrderStatus.RejectedByVendor] = [OrderStatus.Confirmed],
        [OrderStatus.Accepted] = [OrderStatus.Dispatched],
        [OrderStatus.Dispatched] = [OrderStatus.Delivered],
        [OrderStatus.Delivered] = [OrderStatus.Completed],
    }.ToFrozenDictionary();

    /// <summary>
    /// The states the pipeline moves an order out of by itself, with nobody to wait for: an order that sits in one
    /// longer than a step takes has lost its message, and the sweeper drives it again from the database. Not
    /// <see cref="OrderStatus.AwaitingReview"/>: that order waits for a person, and its deadline job ends the wait.
    /// </summary>
    public static readonly OrderStatus[] InPipeline =
        [OrderStatus.Received, OrderStatus.Parsing, OrderStatus.Parsed, OrderStatus.Validated, OrderStatus.RejectedByVendor];

    /// <summary><see cref="InPipeline"/> as SQL over the stored wire names (a test keeps the two equal).</summary>
    public const string InPipelineSqlFilter = "status IN ('received', 'parsing', 'parsed', 'validated', 'rejected_by_vendor')";

    public static bool IsTerminal(OrderStatus status) =>
        status is OrderStatus.Completed or OrderStatus.Cancelled or OrderStatus.Failed;

    public static bool CanTransition(OrderStatus from, OrderStatus to)
    {
        if (IsTerminal(from)) return false;
        if (to is OrderStatus.Cancelled or OrderStatus.Failed) return true;
        return Forward.TryGetValue(from, out var next) && next.Contains(to);
    }

    public static IReadOnlyList<OrderStatus> NextStates(OrderStatus from) =>
        IsTerminal(from) ? [] : [.. Forward.GetValueOrDefault(from, []), OrderStatus.Cancelled, OrderStatus.Failed];
}
