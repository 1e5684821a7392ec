using System.Diagnostics.Metrics;
using System.Text.Json;
using Khaacho.Api.Auth;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Order = Khaacho.Core.Orders.Order;

namespace Khaacho.Api.Orders;

public abstract record IntakeOutcome
{
    public sealed record Accepted(OrderAccepted Response) : IntakeOutcome;
    /// <summary>A retry with the same key and body: the first answer, again.</summary>
    public sealed record Replayed(OrderAccepted Response) : IntakeOutcome;
    /// <summary>The same key was used for a different body.</summary>
    public sealed record KeyReused : IntakeOutcome;
}

/// <summary>
/// The front door: writes the order, its items, its first history row, an outbox row and the idempotency record in
/// ONE transaction (<see cref="OrderTransactions.ReceiveAsync"/>), then publishes the outbox row at once. If Redis is
/// down or the process dies before publishing, the <see cref="Messaging.OutboxRelay"/> publishes it; nothing answered 202 is lost.
/// </summary>
public sealed partial class OrderIntake(
    KhaachoDbContext db, OrderTransactions transactions, TimeProvider clock, ILogger<OrderIntake> logger)
{
    private static readonly Counter<long> Accepted =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.orders.accepted", description: "Orders accepted by intake");
    private static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    /// <summary>Creates the intake series at 0 when the api starts, so "no orders yet" is 0 rather than no data.</summary>
    public static void InitializeMetrics()
    {
        foreach (var source in WireNames.All<OrderSource>()) Accepted.Add(0, new KeyValuePair<string, object?>("source", source));
    }

    public async Task<IntakeOutcome> SubmitAsync(CurrentUser user, Guid retailerId, ValidOrder request, string? idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("order.intake");
        var now = clock.GetUtcNow();
        var order = Order.Receive(retailerId, request.Source, now);
        order.VendorId = request.VendorId;
        order.RawText = request.Text;
        order.Notes = request.Notes;
        order.Priority = request.Priority;
        order.Items.AddRange(request.Lines.Select(line => new OrderItem
        {
            Id = Guid.CreateVersion7(now), OrderId = order.Id, CreatedAt = order.CreatedAt,
            ProductId = line.Product.Id, Quantity = line.Quantity,
        }));
        activity?.SetTag("khaacho.order_id", order.Id);

        var response = OrderAccepted.For(order.Id, request.Source == OrderSource.Text);
        try
        {
            await transactions.ReceiveAsync(order, rows =>
            {
                rows.OrderStatusHistory.Add(new OrderStatusChange
                {
                    Id = Guid.CreateVersion7(now), OrderId = order.Id, CreatedAt = order.CreatedAt,
                    FromStatus = null, ToStatus = OrderStatus.Received, Actor = $"retailer:{user.UserId}", At = now,
                });
                Outbox.ForOrder(rows, request.Source == OrderSource.Text ? Streams.Ai : Streams.Orders, order, request.Source == OrderSource.Text ? "parse" : "validate", now);
                if (idempotencyKey is null) return;
                rows.IdempotencyKeys.Add(new IdempotencyRecord
                {
                    UserId = user.UserId, Key = idempotencyKey, RequestHash = requestHash, OrderId = order.Id,
                    ResponseStatus = StatusCodes.Status202Accepted,
                    ResponseBody = JsonSerializer.Serialize(response, ApiJsonContext.Default.OrderAccepted),
                    CreatedAt = now, ExpiresAt = now + IdempotencyWindow,
                });
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (idempotencyKey is not null && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_idempotency_keys" })
        {
            // Another request with this key committed first (the unique insert decided, not a prior check).
            return await ReplayAsync(user, idempotencyKey, requestHash, cancellationToken);
        }

        Accepted.Add(1, new KeyValuePair<string, object?>("source", request.Source.ToWire()));
        LogAccepted(logger, order.Id, request.Source.ToWire(), request.Lines.Count);
        return new IntakeOutcome.Accepted(response);
    }

    private async Task<IntakeOutcome> ReplayAsync(CurrentUser user, string idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        var record = await db.IdempotencyKeys.AsNoTracking()
            .SingleAsync(r => r.UserId == user.UserId && r.Key == idempotencyKey, cancellationToken);
        if (record.RequestHash != requestHash) return new IntakeOutcome.KeyReused();
        return new IntakeOutcome.Replayed(JsonSerializer.Deserialize(record.ResponseBody, ApiJsonContext.Default.OrderAccepted)!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} accepted from {Source} with {ItemCount} items")]
    private static partial void LogAccepted(ILogger logger, Guid orderId, string source, int itemCount);

}
