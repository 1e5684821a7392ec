using System.Globalization;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Microsoft.Extensions.Logging;

namespace Khaacho.Core.Review;

public enum ReviewDecision
{
    Approve,
    Reject,
}

public enum ReviewOutcome
{
    Decided,
    NotFound,
    /// <summary>The order is not awaiting review (never was, or someone decided, cancelled or expired it first).</summary>
    NotAwaitingReview,
    /// <summary>The database refused the change (a concurrent move): nothing written.</summary>
    Concurrent,
}

/// <param name="From">The status the order was in when the decision was tried.</param>
public sealed record ReviewResult(ReviewOutcome Outcome, OrderStatus From, Order? Order);

/// <summary>
/// The review queue's moves, each one <see cref="OrderTransactions"/> step on the locked order: the pipeline holds a
/// risk-flagged order, a staff member approves (the pipeline continues at confirmation) or rejects it, or its deadline
/// passes. The row lock and the status check under it make a decision, a second decision, a cancellation and the
/// expiry exclusive: whichever comes first moves the order, the others find it no longer waiting.
/// </summary>
public sealed partial class OrderReviews(OrderTransactions transactions, ILogger<OrderReviews> logger)
{
    public const int MaxReasonLength = 500;
    public const string ExpiryActor = "review_deadline";

    /// <summary>Holds the order for review instead of confirming it, and tells the retailer. Runs inside the pipeline's step.</summary>
    public static void Hold(OrderChange change, RiskResult risk, TimeSpan expiry, string actor)
    {
        var (db, order, now) = change;
        order.RiskScore = risk.Score;
        order.RiskReasons = [.. risk.Reasons];
        db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.AwaitingReview, actor, $"risk score {risk.Score}: {string.Join(", ", risk.Reasons)}", now));
        order.ReviewDeadline = order.AwaitingReviewAt + expiry;
        Outbox.Notify(db, order, RecipientKind.Retailer, order.RetailerId, "order_awaiting_review",
            $"Your order {order.OrderNumber} is waiting for a quick check by Khaacho before it goes to a vendor. We will tell you the answer within {Describe(expiry)}.", now);
        ReviewMetrics.Queued.Add(1);
    }

    /// <param name="reason">Required to reject (the retailer reads it); optional to approve. Trimmed; the caller bounds its length.</param>
    public async Task<ReviewResult> DecideAsync(string actor, Guid orderId, DateTimeOffset createdAt, ReviewDecision decision, string? reason, CancellationToken cancellationToken)
    {
        var outcome = ReviewOutcome.NotAwaitingReview;
        var from = default(OrderStatus);
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (decision == ReviewDecision.Reject) ArgumentNullException.ThrowIfNull(reason);
        var result = await transactions.ChangeAsync($"review_{decision.ToWire()}", orderId, createdAt, async (change, ct) =>
        {
            var (db, order, now) = change;
            from = order.Status;
            if (from != OrderStatus.AwaitingReview) return;
            order.ReviewedBy = actor;
            order.ReviewedAt = now;
            if (decision == ReviewDecision.Approve)
            {
                db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.Validated, actor, reason is null ? "approved in review" : $"approved in review: {reason}", now));
                // On to confirmation, as an unflagged order after validation; the sweeper drives it if this message is lost.
                Outbox.ForOrder(db, Streams.Orders, order, "confirm", now);
            }
            else
            {
                await OrderLifecycle.FailAsync(change, OrderFailureCodes.ReviewRejected, reason!, actor, ct);
            }
            outcome = ReviewOutcome.Decided;
        }, cancellationToken);
        if (result.Outcome == OrderChangeOutcome.NotFound) outcome = ReviewOutcome.NotFound;
        if (result.Outcome == OrderChangeOutcome.Conflict) outcome = ReviewOutcome.Concurrent;
        if (outcome == ReviewOutcome.Decided)
        {
            ReviewMetrics.Decided.Add(1, ReviewMetrics.Tag(decision));
            LogDecided(logger, orderId, decision.ToWire(), actor);
        }
        return new ReviewResult(outcome, from, result.Order);
    }

    /// <summary>Fails the order as <c>review_expired</c> if it is still waiting and its deadline has passed; false if not (decided meanwhile).</summary>
    public async Task<bool> ExpireAsync(Guid orderId, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var result = await transactions.ChangeAsync("review_expire", orderId, createdAt, async (change, ct) =>
        {
            var order = change.Order;
            if (order.Status != OrderStatus.AwaitingReview || order.ReviewDeadline is not { } deadline || deadline >= change.Now) return;
            await OrderLifecycle.FailAsync(change, OrderFailureCodes.ReviewExpired,
                "Khaacho could not check the order in time, so it was not placed. Please place it again, or call Khaacho support.", ExpiryActor, ct);
        }, cancellationToken);
        if (result.Outcome != OrderChangeOutcome.Committed) return false;
        ReviewMetrics.Expired.Add(1);
        LogExpired(logger, orderId);
        return true;
    }

    private static string Describe(TimeSpan span) => span.TotalHours >= 1
        ? Plural((int)Math.Round(span.TotalHours), "hour")
        : Plural(Math.Max(1, (int)Math.Ceiling(span.TotalMinutes)), "minute");

    private static string Plural(int n, string unit) => $"{n.ToString(CultureInfo.InvariantCulture)} {unit}{(n == 1 ? "" : "s")}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} review decided: {Decision} by {Actor}")]
    private static partial void LogDecided(ILogger logger, Guid orderId, string decision, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} was not reviewed before its deadline; failed as review_expired")]
    private static partial void LogExpired(ILogger logger, Guid orderId);
}
