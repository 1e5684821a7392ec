using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Worker.Streaming;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Orders;

/// <summary>
/// The orders stream: validate, assess risk, then route, price, reserve and confirm. Each step is a transaction that
/// moves the order through the state machine, so a replayed message finds the step done and changes nothing.
/// </summary>
public sealed partial class OrderPipeline(
    IServiceScopeFactory scopes, OutboxPublisher publisher, VendorWorkload workload, IOptions<OrderProcessingOptions> options, TimeProvider clock, ILogger<OrderPipeline> logger)
    : IStreamHandler
{
    private const string Actor = "worker-orders";

    public string Stream => Streams.Orders;

    public async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        var order = message.Body(OrderMessage.FromJson);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = order.OrderId });
        // Validation and confirmation share one transaction: one order read, one save, one commit per order.
        await StepAsync("process", order, cancellationToken, async (db, o, now, ct) =>
        {
            if (o.Status is OrderStatus.Received or OrderStatus.Parsed)
            {
                using var validate = PipelineStep.Start("validate", o.Id);
                var failure = await new OrderValidation(db, options.Value).CheckAsync(o, now, ct);
                if (failure is { } f)
                {
                    await FailAsync(db, o, f.Code, f.Reason, now, ct);
                    return;
                }
                db.OrderStatusHistory.Add(o.TransitionTo(OrderStatus.Validated, Actor, o.RiskScore is { } score ? $"risk score {score}" : null, now));
            }
            if (o.Status is OrderStatus.Validated or OrderStatus.RejectedByVendor)
            {
                using var confirm = PipelineStep.Start("confirm", o.Id);
                var confirmedAt = clock.GetUtcNow();
                var outcome = await new OrderConfirmation(db, options.Value, workload).ConfirmAsync(o, db.Database.CurrentTransaction!, confirmedAt, ct);
                if (!outcome.Confirmed)
                {
                    await FailAsync(db, o, outcome.FailureCode!, outcome.FailureReason!, confirmedAt, ct);
                    return;
                }
                PipelineMetrics.Outcome("confirmed", o.Reroutes > 0 ? "rerouted" : "routed");
                LogConfirmed(logger, o.Id, o.VendorId, o.Total);
            }
        });
    }

    public async Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken)
    {
        var order = message.Body(OrderMessage.FromJson);
        await StepAsync("dead_letter", order, cancellationToken, async (db, o, now, ct) =>
        {
            if (!OrderStateMachine.IsTerminal(o.Status))
                await FailAsync(db, o, OrderFailureCodes.DeadLettered, "The order could not be processed after several attempts; support has been alerted.", now, ct);
        });
    }

    private delegate Task Step(KhaachoDbContext db, Order order, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Runs the work in one transaction (retried whole on transient database errors), then publishes what it wrote to the outbox.</summary>
    private async Task StepAsync(string name, OrderMessage message, CancellationToken cancellationToken, Step step)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity($"order.{name}");
        activity?.SetTag("khaacho.order_id", message.OrderId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var outbox = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var order = await db.Orders.Include(o => o.Items)
                .SingleOrDefaultAsync(o => o.Id == message.OrderId && o.CreatedAt == message.CreatedAt, ct)
                ?? throw new PermanentStreamFailure($"Order {message.OrderId} does not exist.");
            await step(db, order, clock.GetUtcNow(), ct);
            var written = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            activity?.SetTag("khaacho.order_status", order.Status.ToWire());
            return written;
        }, cancellationToken);
        foreach (var row in outbox) await publisher.TryPublishAsync(row);
    }

    private async Task FailAsync(KhaachoDbContext db, Order order, string code, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        PipelineMetrics.Outcome("failed", code);
        LogFailed(logger, order.Id, code, reason);
        await OrderLifecycle.FailAsync(db, order, code, reason, Actor, now, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} confirmed with vendor {VendorId}, total {Total}")]
    private static partial void LogConfirmed(ILogger logger, Guid orderId, Guid? vendorId, decimal total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} failed: {FailureCode} ({FailureReason})")]
    private static partial void LogFailed(ILogger logger, Guid orderId, string failureCode, string failureReason);
}
