using System.Diagnostics;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Khaacho.Core.Orders;

public enum OrderChangeOutcome
{
    /// <summary>The change and the outbox rows it wrote are committed, and were handed to the publisher.</summary>
    Committed,
    /// <summary>The step changed nothing (the order was already past it): nothing written.</summary>
    Unchanged,
    /// <summary>No such order (or none the caller may see).</summary>
    NotFound,
    /// <summary>The change would break a rule the database guards (a concurrent move, a CHECK constraint): nothing written.</summary>
    Conflict,
}

public sealed record OrderChangeResult(OrderChangeOutcome Outcome, Order? Order);

/// <summary>What a step works with: the order, locked and tracked with its items, in an open transaction.</summary>
public sealed record OrderChange(KhaachoDbContext Db, Order Order, DateTimeOffset Now);

/// <summary>
/// The one path by which an order comes to exist or changes state: load and lock the order, run a step in one
/// transaction, collect the outbox rows it wrote, commit, publish after the commit. A transient database error replays
/// the whole step; a commit whose acknowledgement was lost is recognised by the order's version, not applied twice.
/// </summary>
public sealed partial class OrderTransactions(IServiceScopeFactory scopes, OutboxPublisher publisher, TimeProvider clock, ILogger<OrderTransactions> logger)
{
    /// <summary>Inserts a new order with its first rows (items, history, outbox, idempotency record) in one transaction, then publishes.</summary>
    /// <exception cref="DbUpdateException">A unique key refused the insert (e.g. the idempotency key): nothing was written.</exception>
    public async Task ReceiveAsync(Order order, Action<KhaachoDbContext> addRows, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var written = new List<OutboxMessage>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(
            order,
            async (_, o, ct) =>
            {
                db.ChangeTracker.Clear();
                db.Orders.Add(o);
                addRows(db);
                written = OutboxPublisher.Queued(db);
                await db.SaveChangesAsync(ct);
                return true;
            },
            async (_, o, ct) => new ExecutionResult<bool>(await db.Orders.AnyAsync(x => x.Id == o.Id && x.CreatedAt == o.CreatedAt, ct), true),
            cancellationToken);
        await publisher.TryPublishAllAsync(written);
    }

    /// <param name="step">Span name: <c>order.&lt;step&gt;</c>.</param>
    /// <param name="scope">Narrows which orders the caller may change (tenancy); the order is NotFound outside it.</param>
    public async Task<OrderChangeResult> ChangeAsync(
        string step, Guid orderId, DateTimeOffset createdAt, Func<OrderChange, CancellationToken, Task> change, CancellationToken cancellationToken,
        Func<IQueryable<Order>, IQueryable<Order>>? scope = null)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity($"order.{step}");
        activity?.SetTag("khaacho.order_id", orderId);
        await using var services = scopes.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        Order? order = null;
        var committedVersion = -1;
        var written = new List<OutboxMessage>();

        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            0,
            async (_, _, ct) =>
            {
                db.ChangeTracker.Clear();
                order = null;
                committedVersion = -1;
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                // The row lock orders concurrent changes of one order: the second sees the first's result, never a stale copy.
                var locked = db.Orders.FromSql($"SELECT * FROM orders WHERE id = {orderId} AND created_at = {createdAt} FOR UPDATE");
                order = await (scope?.Invoke(locked) ?? locked).Include(o => o.Items).SingleOrDefaultAsync(ct);
                if (order is null) return OrderChangeOutcome.NotFound;
                var before = order.Version;
                try
                {
                    await change(new OrderChange(db, order, clock.GetUtcNow()), ct);
                    if (!db.ChangeTracker.HasChanges()) return OrderChangeOutcome.Unchanged;
                    // Every committed change bumps the version, so a lost commit acknowledgement can be recognised below.
                    if (order.Version == before) order.Version++;
                    written = OutboxPublisher.Queued(db);
                    committedVersion = order.Version;
                    await db.SaveChangesAsync(ct);
                }
                catch (Exception ex) when (IsConflict(ex))
                {
                    LogConflict(logger, orderId, step, ex.InnerException?.Message ?? ex.Message);
                    committedVersion = -1;
                    return OrderChangeOutcome.Conflict;
                }
                await transaction.CommitAsync(ct);
                return OrderChangeOutcome.Committed;
            },
            async (_, _, ct) => new ExecutionResult<OrderChangeOutcome>(
                committedVersion >= 0 && await db.Orders.AnyAsync(o => o.Id == orderId && o.CreatedAt == createdAt && o.Version == committedVersion, ct),
                OrderChangeOutcome.Committed),
            cancellationToken);

        activity?.SetTag("khaacho.order_change", outcome.ToString());
        if (order is not null) activity?.SetTag("khaacho.order_status", order.Status.ToWire());
        if (outcome == OrderChangeOutcome.Committed) await publisher.TryPublishAllAsync(written);
        return new OrderChangeResult(outcome, order);
    }

    private static bool IsConflict(Exception ex) => ex is DbUpdateConcurrencyException
        || (ex as PostgresException ?? ex.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.CheckViolation };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: {Step} refused by the database and rolled back: {Reason}")]
    private static partial void LogConflict(ILogger logger, Guid orderId, string step, string reason);
}
