using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Khaacho.Worker.Streaming;
using Khaacho.Ai;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.Ai;

/// <summary>
/// The ai stream: turns a text order into catalogue items. Confident parses become the order's items and go on to the
/// orders stream; otherwise the order needs clarification and the retailer is asked what was not understood.
/// The text is parsed (<see cref="OrderTextParser"/>: offline first, models when it is unsure) before the transaction
/// opens, so a slow model never holds a database connection.
/// </summary>
public sealed partial class TextOrderParsing(
    IServiceScopeFactory scopes, OrderTextParser parser, OutboxPublisher publisher, TimeProvider clock, ILogger<TextOrderParsing> logger)
    : IStreamHandler
{
    private const string Actor = "worker-ai";

    public string Stream => Streams.Ai;

    public async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        var key = message.Body(OrderMessage.FromJson);

        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("order.parse");
        activity?.SetTag("khaacho.order_id", key.OrderId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var text = await db.Orders.AsNoTracking().Where(o => o.Id == key.OrderId && o.CreatedAt == key.CreatedAt)
            .Select(o => new { o.Status, o.RawText }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new PermanentStreamFailure($"Order {key.OrderId} does not exist.");
        if (text.Status is not (OrderStatus.Received or OrderStatus.Parsing)) return;
        var parsed = await parser.ParseAsync(text.RawText ?? "", key.OrderId, limit: null, cancellationToken);
        activity?.SetTag("khaacho.parse.confidence", parsed.Confidence);
        activity?.SetTag("khaacho.parse.provider", parsed.Provider);

        var outbox = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var order = await db.Orders.Include(o => o.Items).SingleOrDefaultAsync(o => o.Id == key.OrderId && o.CreatedAt == key.CreatedAt, ct)
                ?? throw new PermanentStreamFailure($"Order {key.OrderId} does not exist.");
            if (order.Status is not (OrderStatus.Received or OrderStatus.Parsing)) return (IReadOnlyList<OutboxMessage>)[];
            var now = clock.GetUtcNow();
            if (order.Status == OrderStatus.Received) db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.Parsing, Actor, null, now));

            if (parser.IsConfident(parsed))
            {
                order.Items.AddRange(parsed.Items.Select(i => new OrderItem
                {
                    Id = Guid.CreateVersion7(now), OrderId = order.Id, CreatedAt = order.CreatedAt, ProductId = i.ProductId, Quantity = i.Quantity,
                    SourceText = i.SourceText.Length > 500 ? i.SourceText[..500] : i.SourceText,
                }));
                db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.Parsed, Actor, $"{parsed.Items.Count} items by {parsed.Provider} parser, confidence {parsed.Confidence:0.00}", now));
                db.Outbox.Add(Outbox.ForOrder(Streams.Orders, order, "validate", now));
                LogParsed(logger, order.Id, parsed.Items.Count, parsed.Provider, parsed.Confidence);
            }
            else
            {
                var question = parsed.Unmatched.Count > 0
                    ? $"We could not understand: {string.Join("; ", parsed.Unmatched)}. Please send those items again with a product name and quantity."
                    : "We could not find any products and quantities in your order. Please list each item with its quantity, e.g. \"chini 3 bora\".";
                db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.NeedsClarification, Actor, question, now));
                order.FailureCode = "needs_clarification";
                order.FailureReason = question;
                db.Outbox.Add(Outbox.Notify(order, RecipientKind.Retailer, order.RetailerId, "needs_clarification", $"Order {order.OrderNumber}: {question}", now));
                LogNeedsClarification(logger, order.Id, parsed.Confidence);
            }
            var written = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return written;
        }, cancellationToken);
        foreach (var row in outbox) await publisher.TryPublishAsync(row);
    }

    public Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} parsed into {ItemCount} items by {Provider} (confidence {Confidence})")]
    private static partial void LogParsed(ILogger logger, Guid orderId, int itemCount, string provider, double confidence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} needs clarification (confidence {Confidence})")]
    private static partial void LogNeedsClarification(ILogger logger, Guid orderId, double confidence);
}
