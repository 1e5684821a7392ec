using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Khaacho.Worker.Orders;
using Khaacho.Worker.Streaming;
using Khaacho.Ai;
using Khaacho.Core.Parsing;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.Ai;

/// <summary>
/// The ai stream: turns a text order into catalogue items. Confident parses become the order's items and go on to the
/// orders stream; otherwise the order needs clarification and the retailer is asked what was not understood.
/// The text is parsed (<see cref="OrderTextParser"/>: offline first, models when it is unsure) before the transaction
/// opens, so a slow model never holds a database connection or a row lock.
/// </summary>
public sealed partial class TextOrderParsing(
    IServiceScopeFactory scopes, OrderTransactions transactions, OrderTextParser parser, ILogger<TextOrderParsing> logger)
    : IStreamHandler
{
    private const string Actor = "worker-ai";

    public string Stream => Streams.Ai;

    public async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        var key = message.Body(OrderMessage.FromJson);

        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("order.parse");
        activity?.SetTag("khaacho.order_id", key.OrderId);
        string? rawText;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
            var order = await db.Orders.AsNoTracking().Where(o => o.Id == key.OrderId && o.CreatedAt == key.CreatedAt)
                .Select(o => new { o.Status, o.RawText }).SingleOrDefaultAsync(cancellationToken)
                ?? throw new PermanentStreamFailure($"Order {key.OrderId} does not exist.");
            if (order.Status is not (OrderStatus.Received or OrderStatus.Parsing)) return;
            rawText = order.RawText;
        }
        var parsed = await parser.ParseAsync(rawText ?? "", key.OrderId, limit: null, cancellationToken);
        activity?.SetTag("khaacho.parse.confidence", parsed.Confidence);
        activity?.SetTag("khaacho.parse.provider", parsed.Provider);

        var result = await transactions.ChangeAsync("parsed", key.OrderId, key.CreatedAt, (change, _) =>
        {
            Apply(change, parsed);
            return Task.CompletedTask;
        }, cancellationToken);
        if (result.Outcome == OrderChangeOutcome.Conflict) throw new InvalidOperationException($"Order {key.OrderId} changed meanwhile; trying again.");
    }

    private void Apply(OrderChange change, ParsedOrder parsed)
    {
        var (db, order, now) = change;
        if (order.Status is not (OrderStatus.Received or OrderStatus.Parsing)) return;
        if (order.Status == OrderStatus.Received) db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.Parsing, Actor, null, now));

        if (parser.IsConfident(parsed))
        {
            order.Items.AddRange(parsed.Items.Select(i => new OrderItem
            {
                Id = Guid.CreateVersion7(now), OrderId = order.Id, CreatedAt = order.CreatedAt, ProductId = i.ProductId, Quantity = i.Quantity,
                SourceText = i.SourceText.Length > 500 ? i.SourceText[..500] : i.SourceText,
            }));
            db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.Parsed, Actor, $"{parsed.Items.Count} items by {parsed.Provider} parser, confidence {parsed.Confidence:0.00}", now));
            Outbox.ForOrder(db, Streams.Orders, order, "validate", now);
            LogParsed(logger, order.Id, parsed.Items.Count, parsed.Provider, parsed.Confidence);
        }
        else
        {
            var question = parsed.Unmatched.Count > 0
                ? $"We could not understand: {string.Join("; ", parsed.Unmatched)}. Please send those items again with a product name and quantity."
                : "We could not find any products and quantities in your order. Please list each item with its quantity, e.g. \"chini 3 bora\".";
            if (question.Length > 1000) question = question[..997] + "...";
            db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.NeedsClarification, Actor, question, now));
            order.FailureCode = "needs_clarification";
            order.FailureReason = question;
            Outbox.Notify(db, order, RecipientKind.Retailer, order.RetailerId, "needs_clarification", $"Order {order.OrderNumber}: {question}", now);
            LogNeedsClarification(logger, order.Id, parsed.Confidence);
        }
    }

    /// <summary>A text order whose parse cannot succeed ends failed with a reason, never left pending.</summary>
    public Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken) =>
        DeadLetteredOrders.FailAsync(transactions, message, Actor, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} parsed into {ItemCount} items by {Provider} (confidence {Confidence})")]
    private static partial void LogParsed(ILogger logger, Guid orderId, int itemCount, string provider, double confidence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} needs clarification (confidence {Confidence})")]
    private static partial void LogNeedsClarification(ILogger logger, Guid orderId, double confidence);
}
