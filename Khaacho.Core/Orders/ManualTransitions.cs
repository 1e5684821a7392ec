using System.Collections.Frozen;
using Khaacho.Core.Identity;

namespace Khaacho.Core.Orders;

/// <summary>
/// Which moves each role may make by hand, by status to move to and, where it matters, the status moved from; the state
/// machine still decides what is legal at all. Parsing, validation and confirmation belong to the pipeline, which
/// reserves stock and credit on the way, and only the pipeline holds an order for review: nobody, not even an admin,
/// jumps an order into those states. A review decision is its own endpoint (<c>OrderReviews</c>), not a move here.
/// </summary>
public static class ManualTransitions
{
    private static readonly OrderStatus[] PipelineOwned =
        [OrderStatus.Received, OrderStatus.Parsing, OrderStatus.Parsed, OrderStatus.NeedsClarification, OrderStatus.AwaitingReview,
         OrderStatus.Validated, OrderStatus.Confirmed];

    /// <summary>
    /// A retailer may cancel until the goods leave the vendor: once dispatched, stock is sold and on the road, and undoing
    /// that is the vendor's and the admin's business, not a button for the retailer.
    /// </summary>
    private static readonly OrderStatus[] RetailerMayCancelFrom =
    [
        OrderStatus.Received, OrderStatus.Parsing, OrderStatus.Parsed, OrderStatus.NeedsClarification, OrderStatus.AwaitingReview,
        OrderStatus.Validated, OrderStatus.Confirmed, OrderStatus.Accepted, OrderStatus.RejectedByVendor,
    ];

    /// <summary>Role → status moved to → the statuses it may be moved from (null: wherever the state machine allows).</summary>
    private static readonly FrozenDictionary<UserRole, FrozenDictionary<OrderStatus, OrderStatus[]?>> Allowed =
        new Dictionary<UserRole, FrozenDictionary<OrderStatus, OrderStatus[]?>>
        {
            [UserRole.Vendor] = AnyFrom(OrderStatus.Accepted, OrderStatus.RejectedByVendor, OrderStatus.Dispatched, OrderStatus.Delivered),
            [UserRole.Retailer] = new Dictionary<OrderStatus, OrderStatus[]?>
            {
                [OrderStatus.Cancelled] = RetailerMayCancelFrom,
                [OrderStatus.Completed] = null,
            }.ToFrozenDictionary(),
            [UserRole.Admin] = AnyFrom([.. Enum.GetValues<OrderStatus>().Except(PipelineOwned)]),
            // Support staff cancel on a retailer's behalf; delivery and acceptance stay with the vendor and the admin.
            [UserRole.Operator] = AnyFrom(OrderStatus.Cancelled),
        }.ToFrozenDictionary();

    /// <summary>Whether the role moves orders to <paramref name="to"/> at all, from some state.</summary>
    public static bool MayEverMoveTo(CurrentUser user, OrderStatus to) => Allowed[user.Role].ContainsKey(to);

    public static bool MayMove(CurrentUser user, OrderStatus from, OrderStatus to) =>
        Allowed[user.Role].TryGetValue(to, out var fromStates) && (fromStates is null || fromStates.Contains(from));

    private static FrozenDictionary<OrderStatus, OrderStatus[]?> AnyFrom(params OrderStatus[] targets) =>
        targets.ToFrozenDictionary(t => t, _ => (OrderStatus[]?)null);
}
