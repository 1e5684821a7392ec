using System.Text.Json;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Worker.Streaming;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.Ai;

/// <summary>
/// The ai stream: takes a text order into <c>parsing</c>. Parsing itself (the AI agents and the offline parser) is
/// the next feature; until it lands, text orders wait in <c>parsing</c>, visible as "processing" to the retailer.
/// </summary>
public sealed partial class TextOrderIntake(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TextOrderIntake> logger) : IStreamHandler
{
    public string Stream => Streams.Ai;

    public async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        OrderMessage order;
        try { order = OrderMessage.FromJson(message.Payload); }
        catch (JsonException ex) { throw new PermanentStreamFailure($"Not an order message: {ex.Message}", ex); }

        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("order.parse");
        activity?.SetTag("khaacho.order_id", order.OrderId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var entity = await db.Orders.SingleOrDefaultAsync(o => o.Id == order.OrderId && o.CreatedAt == order.CreatedAt, cancellationToken)
            ?? throw new PermanentStreamFailure($"Order {order.OrderId} does not exist.");
        if (entity.Status != OrderStatus.Received) return;
        db.OrderStatusHistory.Add(entity.TransitionTo(OrderStatus.Parsing, "worker-ai", null, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        LogParsing(logger, entity.Id);
    }

    public Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} is waiting in parsing")]
    private static partial void LogParsing(ILogger logger, Guid orderId);
}
