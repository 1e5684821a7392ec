using System.Diagnostics.Metrics;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Sweeping;

/// <summary>
/// PostgreSQL decides what has happened: an order sitting in a pipeline state longer than its step takes has lost its
/// message (Redis restarted without its data, a stream entry or retry vanished), so it is driven again with a new
/// outbox row. Each redrive is an <see cref="OrderTransactions"/> step on the locked order, so several replicas never
/// drive one order twice, and the state machine keeps the effects exactly-once even if the old message turns up too.
/// </summary>
public sealed partial class StalledOrders(
    IServiceScopeFactory scopes, OrderTransactions transactions, IOptions<SweeperOptions> options, TimeProvider clock, ILogger<StalledOrders> logger)
{
    private const string Actor = "sweeper";
    private const int MaxBackoffDoublings = 4;

    private static readonly Counter<long> Redriven =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.orders.redriven", description: "Orders driven again from PostgreSQL because their message was lost, by status");
    private static readonly Counter<long> Exhausted =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.orders.redrive_exhausted", description: "Orders failed as stalled after the last redrive");

    public static void InitializeMetrics()
    {
        foreach (var status in OrderStateMachine.InPipeline) Redriven.Add(0, new KeyValuePair<string, object?>("status", status.ToWire()));
        Exhausted.Add(0);
    }

    /// <returns>How many orders were driven again or failed.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        List<(Guid Id, DateTimeOffset CreatedAt)> stalled;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
            // The filter is the partial index's own, so PostgreSQL reads only ix_orders_in_pipeline.
            var rows = await db.Orders.FromSqlRaw(
                "SELECT * FROM orders WHERE " + OrderStateMachine.InPipelineSqlFilter
                + " AND updated_at < {0} - make_interval(secs => {1} * power(2, least(redrives, {2})))"
                // Still waiting in the outbox (Redis down, the stream at its capacity) is not lost: the relay has it.
                + " AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.order_id = orders.id AND outbox.stream <> '" + Streams.Notifications + "')"
                + " ORDER BY updated_at LIMIT {3}",
                now, settings.StalledAfter.TotalSeconds, MaxBackoffDoublings, settings.BatchSize).AsNoTracking().Select(o => new { o.Id, o.CreatedAt }).ToListAsync(cancellationToken);
            stalled = [.. rows.Select(r => (r.Id, r.CreatedAt))];
        }
        var moved = 0;
        foreach (var (id, createdAt) in stalled)
        {
            var result = await transactions.ChangeAsync("redrive", id, createdAt, (change, ct) => RedriveAsync(change, settings, ct), cancellationToken);
            if (result.Outcome == OrderChangeOutcome.Committed) moved++;
        }
        return moved;
    }

    private async Task RedriveAsync(OrderChange change, SweeperOptions settings, CancellationToken cancellationToken)
    {
        var (db, order, now) = change;
        var waited = settings.StalledAfter * Math.Pow(2, Math.Min(order.Redrives, MaxBackoffDoublings));
        // Looked at again under the row lock: it may have moved, or another replica may have driven it, since the query.
        if (!OrderStateMachine.InPipeline.Contains(order.Status) || order.UpdatedAt >= now - waited) return;
        if (order.Redrives >= settings.MaxRedrives)
        {
            Exhausted.Add(1);
            LogExhausted(logger, order.Id, order.Status.ToWire(), order.Redrives);
            await OrderLifecycle.FailAsync(change, OrderFailureCodes.Stalled,
                "The order could not be processed in time; support has been alerted. Please place it again if you still need it.", Actor, cancellationToken);
            return;
        }
        var status = order.Status;
        order.MarkRedriven(now);
        var toAi = status == OrderStatus.Parsing || (status == OrderStatus.Received && order.Source == OrderSource.Text);
        Outbox.ForOrder(db, toAi ? Streams.Ai : Streams.Orders, order, toAi ? "parse" : "validate", now);
        Redriven.Add(1, new KeyValuePair<string, object?>("status", status.ToWire()));
        LogRedriven(logger, order.Id, status.ToWire(), order.Redrives, toAi ? Streams.Ai : Streams.Orders);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} sat in {Status} too long; driven again (redrive {Redrive}) on {Stream}")]
    private static partial void LogRedriven(ILogger logger, Guid orderId, string status, int redrive, string stream);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId} still in {Status} after {Redrives} redrives; failed as stalled")]
    private static partial void LogExhausted(ILogger logger, Guid orderId, string status, int redrives);
}
