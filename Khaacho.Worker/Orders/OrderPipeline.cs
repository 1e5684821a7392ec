using Khaacho.Core.Credit;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Core.Review;
using Khaacho.Worker.Streaming;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Orders;

/// <summary>
/// The orders stream: validate, assess risk (a risky order waits for a review), then route, price, reserve and confirm. Each message is one
/// <see cref="OrderTransactions"/> step that moves the order through the state machine, so a replayed message finds the
/// step done and changes nothing.
/// </summary>
public sealed partial class OrderPipeline(
    OrderTransactions transactions, VendorCandidates candidates, CreditWarnings credit, IOptions<OrderProcessingOptions> options,
    IOptions<RoutingOptions> routing, TimeProvider clock, ILogger<OrderPipeline> logger)
    : IStreamHandler
{
    private const string Actor = "worker-orders";

    public string Stream => Streams.Orders;

    public async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        var key = message.Body(OrderMessage.FromJson);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = key.OrderId });
        // Validation and confirmation share one transaction: one order read, one save, one commit per order.
        var result = await transactions.ChangeAsync("process", key.OrderId, key.CreatedAt, async (change, ct) =>
        {
            var (db, o, now) = change;
            if (o.Status is OrderStatus.Received or OrderStatus.Parsed)
            {
                using var validate = PipelineStep.Start("validate", o.Id);
                var verdict = await new OrderValidation(db, options.Value).CheckAsync(o, now, ct);
                if (verdict.FailureCode is { } code)
                {
                    await FailAsync(change, code, verdict.FailureReason!, ct);
                    return;
                }
                if (verdict.Review is { } risk)
                {
                    using var hold = PipelineStep.Start("review_hold", o.Id);
                    OrderReviews.Hold(change, risk, options.Value.ReviewExpiry, Actor);
                    PipelineMetrics.Outcome("awaiting_review", "risk");
                    LogHeld(logger, o.Id, risk.Score, string.Join(", ", risk.Reasons), o.ReviewDeadline);
                    return;
                }
                db.OrderStatusHistory.Add(o.TransitionTo(OrderStatus.Validated, Actor, o.RiskScore is { } score ? $"risk score {score}" : null, now));
            }
            if (o.Status is OrderStatus.Validated or OrderStatus.RejectedByVendor)
            {
                using var confirm = PipelineStep.Start("confirm", o.Id);
                var confirmed = change with { Now = clock.GetUtcNow() };
                var outcome = await new OrderConfirmation(db, options.Value, routing.Value.RoutingWeights, candidates, credit).ConfirmAsync(confirmed, ct);
                if (!outcome.Confirmed)
                {
                    await FailAsync(confirmed, outcome.FailureCode!, outcome.FailureReason!, ct);
                    return;
                }
                PipelineMetrics.Outcome("confirmed", o.Reroutes > 0 ? "rerouted" : "routed");
                LogConfirmed(logger, o.Id, o.VendorId, o.Total);
            }
        }, cancellationToken);
        if (result.Outcome == OrderChangeOutcome.NotFound) throw new PermanentStreamFailure($"Order {key.OrderId} does not exist.");
        if (result.Outcome == OrderChangeOutcome.Conflict) throw new InvalidOperationException($"Order {key.OrderId} changed meanwhile; trying again.");
    }

    public Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken) =>
        DeadLetteredOrders.FailAsync(transactions, message, Actor, cancellationToken);

    private async Task FailAsync(OrderChange change, string code, string reason, CancellationToken cancellationToken)
    {
        PipelineMetrics.Outcome("failed", code);
        LogFailed(logger, change.Order.Id, code, reason);
        await OrderLifecycle.FailAsync(change, code, reason, Actor, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} confirmed with vendor {VendorId}, total {Total}")]
    private static partial void LogConfirmed(ILogger logger, Guid orderId, Guid? vendorId, decimal total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} held for review: risk score {RiskScore} ({RiskReasons}), deadline {ReviewDeadline}")]
    private static partial void LogHeld(ILogger logger, Guid orderId, int riskScore, string riskReasons, DateTimeOffset? reviewDeadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} failed: {FailureCode} ({FailureReason})")]
    private static partial void LogFailed(ILogger logger, Guid orderId, string failureCode, string failureReason);
}
