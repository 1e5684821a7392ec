using System.Text;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.WhatsApp;

/// <summary>
/// A vendor's side of the chat: a tap on Accept, Reject, Dispatched or Delivered moves the order exactly as PATCH
/// does (<see cref="OrderStatusChanges"/>: same rules, same history row, the vendor as actor), and the answer offers
/// the next step.
/// </summary>
public sealed class VendorChat(OrderStatusChanges changes)
{
    private static readonly OrderStatus[] Waiting = [OrderStatus.Confirmed, OrderStatus.Accepted, OrderStatus.Dispatched];

    public async Task HandleAsync(ChatTurn turn, CurrentUser user, ChatMessage message, CancellationToken cancellationToken)
    {
        if (message.Kind == ChatMessageKind.Reply && ChatActions.TryParse(message.ReplyId, out var verb, out var argument)
            && ChatActions.VendorMoves.TryGetValue(verb, out var to))
        {
            await MoveAsync(turn, user, argument, to, cancellationToken);
            return;
        }
        switch (message.Kind == ChatMessageKind.Text ? ChatIntents.Classify(message.Text!).Intent : ChatIntent.Help)
        {
            case ChatIntent.OpenOrders or ChatIntent.Status:
                await OpenOrdersAsync(turn, user, cancellationToken);
                return;
            case var language and (ChatIntent.English or ChatIntent.Nepali):
                turn.Conversation.Language = language == ChatIntent.English ? ChatLanguage.English : ChatLanguage.Nepali;
                turn.Reply("language", turn.T("language_set"));
                return;
            default:
                turn.Reply("help", turn.T("vendor_help"));
                return;
        }
    }

    private async Task MoveAsync(ChatTurn turn, CurrentUser user, string argument, OrderStatus to, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(argument, out var orderId) || !OrderIds.TryGetCreatedAt(orderId, out var createdAt))
        {
            turn.Reply("vendor_not_found", turn.T("vendor_not_found"));
            return;
        }
        var (outcome, from, order) = await changes.ChangeAsync(user, orderId, createdAt, to, "by WhatsApp", cancellationToken);
        var number = order?.OrderNumber ?? "";
        switch (outcome)
        {
            // The same tap handled again (a replayed turn) finds the order already where the tap put it.
            case StatusChangeOutcome.Moved:
            case StatusChangeOutcome.Illegal when from == to:
                turn.Reply($"vendor_{to.ToWire()}", turn.T("vendor_moved", number, turn.Texts.Status(turn.Conversation.Language, to)), NextStep(turn, orderId, to), orderId);
                return;
            case StatusChangeOutcome.NotFound:
                turn.Reply("vendor_not_found", turn.T("vendor_not_found"));
                return;
            default:
                turn.Reply("vendor_not_allowed", turn.T("vendor_not_allowed", number, turn.Texts.Status(turn.Conversation.Language, from),
                    turn.Texts.Status(turn.Conversation.Language, to)), orderId: orderId);
                return;
        }
    }

    private static ChatContent? NextStep(ChatTurn turn, Guid orderId, OrderStatus now) => now switch
    {
        OrderStatus.Accepted => new ChatContent(Buttons: [new(ChatActions.Of("dispatch", orderId.ToString()), turn.T("button_dispatched"))]),
        OrderStatus.Dispatched => new ChatContent(Buttons: [new(ChatActions.Of("deliver", orderId.ToString()), turn.T("button_delivered"))]),
        _ => null,
    };

    private static async Task OpenOrdersAsync(ChatTurn turn, CurrentUser user, CancellationToken cancellationToken)
    {
        var orders = await turn.Db.Orders.AsNoTracking().VisibleTo(user).Where(o => Waiting.Contains(o.Status))
            .OrderBy(o => o.CreatedAt).Take(5).Select(o => new { o.Id, o.OrderNumber, o.Status, o.Total }).ToListAsync(cancellationToken);
        if (orders.Count == 0)
        {
            turn.Reply("vendor_orders", turn.T("vendor_open_none"));
            return;
        }
        var text = new StringBuilder(turn.T("vendor_open_header"));
        foreach (var o in orders) text.Append('\n').Append(turn.T("vendor_open_line", o.OrderNumber, turn.Texts.Status(turn.Conversation.Language, o.Status), ChatTexts.Money(o.Total)));
        // The oldest order waiting for acceptance gets its buttons; the others are one "orders" away.
        var first = orders.FirstOrDefault(o => o.Status == OrderStatus.Confirmed);
        turn.Reply("vendor_orders", text.ToString(), first is null ? null : new ChatContent(Buttons:
        [
            new(ChatActions.Of("accept", first.Id.ToString()), turn.T("button_accept")),
            new(ChatActions.Of("reject", first.Id.ToString()), turn.T("button_reject")),
        ]));
    }
}
