using System.Collections.Frozen;
using Khaacho.Api.Auth;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;

namespace Khaacho.Api.Orders;

/// <summary>Body of <c>PATCH /api/v1/orders/{id}/status</c>: the status to move to, and why.</summary>
public sealed record ChangeOrderStatusRequest(string? Status, string? Reason);

/// <summary>
/// Which statuses each role may move an order to by hand; the state machine still decides from where. Parsing,
/// validation and confirmation belong to the pipeline, which reserves stock and credit on the way: nobody, not even an
/// admin, jumps an order into those states.
/// </summary>
public static class ManualTransitions
{
    private static readonly OrderStatus[] PipelineOwned =
        [OrderStatus.Received, OrderStatus.Parsing, OrderStatus.Parsed, OrderStatus.NeedsClarification, OrderStatus.Validated, OrderStatus.Confirmed];

    private static readonly FrozenDictionary<UserRole, OrderStatus[]> Allowed = new Dictionary<UserRole, OrderStatus[]>
    {
        [UserRole.Vendor] = [OrderStatus.Accepted, OrderStatus.RejectedByVendor, OrderStatus.Dispatched, OrderStatus.Delivered],
        [UserRole.Retailer] = [OrderStatus.Cancelled, OrderStatus.Completed],
        [UserRole.Admin] = [.. Enum.GetValues<OrderStatus>().Except(PipelineOwned)],
    }.ToFrozenDictionary();

    public static bool MayMoveTo(CurrentUser user, OrderStatus to) => Allowed[user.Role].Contains(to);

    public static string ActorOf(CurrentUser user) => $"{user.Role.ToWire()}:{user.UserId}";
}
