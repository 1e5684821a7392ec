using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Worker.Streaming;

namespace Khaacho.Worker.Orders;

/// <summary>An order whose message could not succeed ends visibly failed, with a reason the retailer can read.</summary>
public static class DeadLetteredOrders
{
    public const string Reason = "The order could not be processed after several attempts; support has been alerted.";

    public static async Task FailAsync(OrderTransactions transactions, StreamMessage message, string actor, CancellationToken cancellationToken)
    {
        OrderMessage key;
        try
        {
            key = OrderMessage.FromJson(message.Payload);
        }
        catch (System.Text.Json.JsonException)
        {
            return; // not an order message: there is no order to fail, and the dead letter says why
        }
        await transactions.ChangeAsync("dead_letter", key.OrderId, key.CreatedAt, async (change, ct) =>
        {
            // An order already past the pipeline (with its vendor, say) does not hang on a stale copy of an old message.
            if (OrderStateMachine.InPipeline.Contains(change.Order.Status))
                await OrderLifecycle.FailAsync(change, OrderFailureCodes.DeadLettered, Reason, actor, ct);
        }, cancellationToken);
    }
}
