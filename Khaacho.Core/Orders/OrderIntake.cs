using System.Diagnostics.Metrics;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Khaacho.Core.Orders;

/// <summary>A new order as a retailer placed it, its products already resolved against the catalogue.</summary>
public sealed record OrderSubmission(
    Guid RetailerId, string Actor, IReadOnlyList<(Guid ProductId, int Quantity)> Lines, string? Text, string? Notes, Guid? VendorId, OrderPriority Priority)
{
    /// <summary>Lines are placed as they are; text without lines is parsed first.</summary>
    public OrderSource Source => Lines.Count == 0 ? OrderSource.Text : OrderSource.Items;
}

/// <summary>The caller's key for this submission: the same key and request again get the first order back, never a second.</summary>
/// <param name="ResponseBody">What to store for a replay, given the new order's id.</param>
public sealed record IdempotencyClaim(Guid UserId, string Key, string RequestHash, int ResponseStatus, Func<Guid, string> ResponseBody);

public abstract record IntakeResult
{
    public sealed record Accepted(Order Order) : IntakeResult;
    /// <summary>The key was used before; <see cref="IdempotencyRecord.RequestHash"/> says whether for the same request.</summary>
    public sealed record Duplicate(IdempotencyRecord Record) : IntakeResult;
}

/// <summary>
/// The front door, for the api and the WhatsApp channel alike: writes the order, its items, its first history row, an
/// outbox row and the idempotency record in ONE transaction (<see cref="OrderTransactions.ReceiveAsync"/>), then
/// publishes the outbox row at once. If Redis is down or the process dies before publishing, the relay publishes it;
/// nothing accepted is lost.
/// </summary>
public sealed partial class OrderIntake(IServiceScopeFactory scopes, OrderTransactions transactions, TimeProvider clock, ILogger<OrderIntake> logger)
{
    private static readonly Counter<long> AcceptedOrders =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.orders.accepted", description: "Orders accepted by intake");
    private static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    /// <summary>Creates the intake series at 0 when the api starts, so "no orders yet" is 0 rather than no data.</summary>
    public static void InitializeMetrics()
    {
        foreach (var source in WireNames.All<OrderSource>()) AcceptedOrders.Add(0, new KeyValuePair<string, object?>("source", source));
    }

    public async Task<IntakeResult> SubmitAsync(OrderSubmission submission, IdempotencyClaim? claim, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("order.intake");
        var now = clock.GetUtcNow();
        var order = Order.Receive(submission.RetailerId, submission.Source, now);
        order.VendorId = submission.VendorId;
        order.RawText = submission.Text;
        order.Notes = submission.Notes;
        order.Priority = submission.Priority;
        order.Items.AddRange(submission.Lines.Select(line => new OrderItem
        {
            Id = Guid.CreateVersion7(now), OrderId = order.Id, CreatedAt = order.CreatedAt, ProductId = line.ProductId, Quantity = line.Quantity,
        }));
        activity?.SetTag("khaacho.order_id", order.Id);

        var parse = submission.Source == OrderSource.Text;
        try
        {
            await transactions.ReceiveAsync(order, rows =>
            {
                rows.OrderStatusHistory.Add(new OrderStatusChange
                {
                    Id = Guid.CreateVersion7(now), OrderId = order.Id, CreatedAt = order.CreatedAt,
                    FromStatus = null, ToStatus = OrderStatus.Received, Actor = submission.Actor, At = now,
                });
                Outbox.ForOrder(rows, parse ? Streams.Ai : Streams.Orders, order, parse ? "parse" : "validate", now);
                if (claim is null) return;
                rows.IdempotencyKeys.Add(new IdempotencyRecord
                {
                    UserId = claim.UserId, Key = claim.Key, RequestHash = claim.RequestHash, OrderId = order.Id,
                    ResponseStatus = claim.ResponseStatus, ResponseBody = claim.ResponseBody(order.Id),
                    CreatedAt = now, ExpiresAt = now + IdempotencyWindow,
                });
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (claim is not null && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_idempotency_keys" })
        {
            // Another submission with this key committed first (the unique insert decided, not a prior check).
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
            return new IntakeResult.Duplicate(await db.IdempotencyKeys.AsNoTracking()
                .SingleAsync(r => r.UserId == claim.UserId && r.Key == claim.Key, cancellationToken));
        }

        AcceptedOrders.Add(1, new KeyValuePair<string, object?>("source", submission.Source.ToWire()));
        LogAccepted(logger, order.Id, submission.Source.ToWire(), submission.Lines.Count);
        return new IntakeResult.Accepted(order);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} accepted from {Source} with {ItemCount} items")]
    private static partial void LogAccepted(ILogger logger, Guid orderId, string source, int itemCount);
}
