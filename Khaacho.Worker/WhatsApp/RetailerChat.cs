using System.Diagnostics.Metrics;
using System.Text;
using Khaacho.Core.Catalog;
using Khaacho.Core.Identity;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Core.Parsing;
using Khaacho.Core.WhatsApp;
using Khaacho.Core.Orders.Quoting;
using Khaacho.Worker.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.WhatsApp;

/// <summary>
/// A retailer's side of the chat: an order is read, asked about where unclear, read back with prices, VAT, total and
/// vendor, and placed only on Confirm, through the same intake as the api (idempotent on the message it came from).
/// </summary>
public sealed partial class RetailerChat(OrderIntake intake, OrderTransactions transactions, Quotes quotes, IOptions<WhatsAppOptions> options, ILogger<RetailerChat> logger)
{
    /// <summary>How old an order waiting for clarification may be and still be continued by the retailer's next chat order.</summary>
    public static readonly TimeSpan ClarificationWindow = TimeSpan.FromDays(1);

    private static readonly Counter<long> ReadBacks =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.read_backs", description: "Chat orders read back, by outcome (read_back, question, no_vendor, not_understood)");
    private static readonly Counter<long> Placed =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.orders_placed", description: "Chat orders placed by Confirm");

    public async Task HandleAsync(ChatTurn turn, Retailer retailer, CurrentUser user, ChatMessage message, ChatReading reading, CancellationToken cancellationToken)
    {
        if (message.Kind == ChatMessageKind.Reply)
        {
            await ReplyTappedAsync(turn, retailer, user, message.ReplyId!, cancellationToken);
            return;
        }
        var (intent, number) = ChatIntents.Classify(message.Text!);
        switch (intent)
        {
            case ChatIntent.Help or ChatIntent.OpenOrders:
                turn.Reply("help", turn.T("help"));
                return;
            case ChatIntent.English or ChatIntent.Nepali:
                turn.Conversation.Language = intent == ChatIntent.English ? ChatLanguage.English : ChatLanguage.Nepali;
                turn.Reply("language", turn.T("language_set"));
                return;
            case ChatIntent.Status:
                await StatusAsync(turn, retailer, cancellationToken);
                return;
            case ChatIntent.Yes when turn.Draft is { Questions.Count: 0 } draft:
                await ConfirmAsync(turn, retailer, user, draft, cancellationToken);
                return;
            case ChatIntent.No when turn.Draft is not null:
                Cancel(turn);
                return;
            case ChatIntent.Choice when turn.Draft is { Questions.Count: > 0 } draft && number <= draft.Questions[0].Choices.Count:
                await AnswerAsync(turn, retailer, draft, draft.Questions[0].Choices[number - 1].ProductCode, cancellationToken);
                return;
            case ChatIntent.Yes or ChatIntent.No:
                turn.Reply("nothing_to_confirm", turn.T("nothing_to_confirm"));
                return;
        }
        var parsed = reading.Parsed ?? throw new InvalidOperationException("An order message reached the chat unread.");
        var draftOf = Draft(reading.MessageId, message.Text!, parsed, reading.Products) with { Clarifies = reading.Clarifies };
        await ContinueAsync(turn, retailer, draftOf, cancellationToken);
    }

    /// <summary>What the parser made of the message, as a draft: lines it is sure of, questions where the catalogue has options, the rest left out.</summary>
    private static ChatDraft Draft(string messageId, string text, ParsedOrder parsed, IReadOnlyList<ParserProduct> products)
    {
        var lines = parsed.Items.GroupBy(i => i.ProductId)
            .Select(g => new DraftLine(g.Key, g.First().ProductCode, g.First().ProductName, Math.Min(g.Sum(i => i.Quantity), OrderLimits.MaxQuantity)))
            .ToList();
        var questions = new List<DraftQuestion>();
        var leftOut = new List<string>();
        foreach (var fragment in parsed.Unmatched)
        {
            if (Clarifications.For(fragment, products) is { } question) questions.Add(question);
            else leftOut.Add(fragment.Length > 100 ? fragment[..100] : fragment);
        }
        return new ChatDraft(messageId, text, lines, questions, leftOut);
    }

    private async Task ContinueAsync(ChatTurn turn, Retailer retailer, ChatDraft draft, CancellationToken cancellationToken)
    {
        var expiresAt = turn.Now + options.Value.ReadBackExpiry;
        if (draft.Questions.Count > 0)
        {
            var question = draft.Questions[0];
            turn.Keep(draft, expiresAt);
            var rows = question.Choices.Select(c => new ChatOption(ChatActions.Of(ChatActions.Pick, c.ProductCode), Shorten(c.ProductName, ChatContent.MaxOptionTitle), c.ProductName))
                .Append(new ChatOption(ChatActions.Of(ChatActions.Skip, "line"), Shorten(turn.T("skip_option"), ChatContent.MaxOptionTitle)));
            var text = new StringBuilder(turn.T("question", question.SourceText));
            var index = 1;
            foreach (var choice in question.Choices) text.Append('\n').Append(index++).Append(". ").Append(choice.ProductName);
            turn.Reply("question", text.ToString(), new ChatContent(ListButton: Shorten(turn.T("question_button"), ChatContent.MaxButtonTitle), Options: [.. rows]));
            Count(ReadBacks, "question");
            return;
        }
        if (draft.Lines.Count == 0)
        {
            turn.Drop();
            turn.Reply("not_understood", turn.T("not_understood"));
            Count(ReadBacks, "not_understood");
            return;
        }
        // Only a quote of every line is read back: the chat cannot yet offer to split an order or go without a line.
        var quoted = await quotes.QuoteAsync(turn.Db, retailer.Id, [.. draft.Lines.Select(l => (l.ProductId, l.Quantity))], preferredVendorId: null, cancellationToken);
        if (quoted is not { Complete: true, Quote: { } quote })
        {
            turn.Drop();
            turn.Reply("no_vendor", turn.T("no_vendor", string.Join(", ", draft.Lines.Select(l => $"{l.ProductName} × {l.Quantity}"))));
            Count(ReadBacks, "no_vendor");
            return;
        }
        var kept = draft with { VendorId = quote.VendorId };
        turn.Keep(kept, expiresAt);
        turn.Reply("read_back", ReadBack(turn, kept, quote), new ChatContent(Buttons:
        [
            new(ChatActions.Of(ChatActions.Confirm, Key(kept)), Shorten(turn.T("button_confirm"), ChatContent.MaxButtonTitle)),
            new(ChatActions.Of(ChatActions.Cancel, Key(kept)), Shorten(turn.T("button_cancel"), ChatContent.MaxButtonTitle)),
        ]));
        Count(ReadBacks, "read_back");
        LogReadBack(logger, kept.Id, kept.Lines.Count, quote.Priced.Total);
    }

    private string ReadBack(ChatTurn turn, ChatDraft draft, Quote quote)
    {
        var text = new StringBuilder(turn.T("readback_header"));
        for (var i = 0; i < draft.Lines.Count; i++)
        {
            var line = draft.Lines[i];
            var priced = quote.Priced.Lines.Single(l => l.ProductId == line.ProductId);
            text.Append('\n').Append(turn.T("readback_line", i + 1, line.ProductName, line.Quantity, ChatTexts.Money(priced.UnitPrice), ChatTexts.Money(priced.LineTotal)));
        }
        text.Append('\n').Append(turn.T("readback_subtotal", ChatTexts.Money(quote.Priced.Subtotal)))
            .Append('\n').Append(turn.T("readback_vat", ChatTexts.Money(quote.Priced.Vat)))
            .Append('\n').Append(turn.T("readback_total", ChatTexts.Money(quote.Priced.Total)))
            .Append('\n').Append(turn.T("readback_vendor", quote.VendorName));
        if (draft.LeftOut.Count > 0) text.Append('\n').Append(turn.T("readback_left_out", string.Join("; ", draft.LeftOut)));
        text.Append('\n').Append(turn.T("readback_footer", (int)options.Value.ReadBackExpiry.TotalMinutes));
        return text.ToString();
    }

    private async Task ReplyTappedAsync(ChatTurn turn, Retailer retailer, CurrentUser user, string replyId, CancellationToken cancellationToken)
    {
        ChatActions.TryParse(replyId, out var verb, out var argument);
        var draft = turn.Draft;
        switch (verb)
        {
            // A tap on an older read-back than the one waiting (or on one that expired) places nothing.
            case ChatActions.Confirm when draft is { Questions.Count: 0 } && Key(draft) == argument:
                await ConfirmAsync(turn, retailer, user, draft, cancellationToken);
                return;
            case ChatActions.Cancel when draft is not null && Key(draft) == argument:
                Cancel(turn);
                return;
            case ChatActions.Pick when draft is { Questions.Count: > 0 }:
                await AnswerAsync(turn, retailer, draft, argument!, cancellationToken);
                return;
            case ChatActions.Skip when draft is { Questions.Count: > 0 }:
                await ContinueAsync(turn, retailer, draft with { Questions = [.. draft.Questions.Skip(1)], LeftOut = [.. draft.LeftOut, draft.Questions[0].SourceText] }, cancellationToken);
                return;
            case ChatActions.Confirm or ChatActions.Cancel or ChatActions.Pick or ChatActions.Skip:
                turn.Reply("nothing_to_confirm", turn.T("nothing_to_confirm"));
                return;
            default:
                turn.Reply("help", turn.T("help"));
                return;
        }
    }

    private async Task AnswerAsync(ChatTurn turn, Retailer retailer, ChatDraft draft, string productCode, CancellationToken cancellationToken)
    {
        var question = draft.Questions[0];
        if (question.Choices.FirstOrDefault(c => c.ProductCode == productCode) is not { } choice)
        {
            turn.Reply("nothing_to_confirm", turn.T("nothing_to_confirm"));
            return;
        }
        var existing = draft.Lines.FirstOrDefault(l => l.ProductId == choice.ProductId);
        var lines = existing is null
            ? [.. draft.Lines, choice with { Quantity = question.Quantity }]
            : draft.Lines.Select(l => l == existing ? l with { Quantity = Math.Min(l.Quantity + question.Quantity, OrderLimits.MaxQuantity) } : l).ToList();
        await ContinueAsync(turn, retailer, draft with { Lines = lines, Questions = [.. draft.Questions.Skip(1)] }, cancellationToken);
    }

    private async Task ConfirmAsync(ChatTurn turn, Retailer retailer, CurrentUser user, ChatDraft draft, CancellationToken cancellationToken)
    {
        if (turn.Conversation.DraftExpiresAt < turn.Now)
        {
            turn.Drop();
            turn.Reply("expired", turn.T("expired", (int)options.Value.ReadBackExpiry.TotalMinutes));
            return;
        }
        if (draft.Clarifies is { } waiting && await ContinueClarifiedAsync(turn, user, draft, waiting, cancellationToken) is { } continued)
        {
            turn.Drop();
            turn.Reply("order_placed", turn.T("placed", continued), orderId: waiting);
            LogClarified(logger, waiting, draft.Id);
            return;
        }
        // Keyed by the message the order came from: a second Confirm, or this turn replayed, finds the first order.
        var key = $"whatsapp:{draft.Id}";
        var submission = new OrderSubmission(retailer.Id, user.Actor, [.. draft.Lines.Select(l => (l.ProductId, l.Quantity))], draft.Text, Notes: null, draft.VendorId, OrderPriority.Normal);
        var result = await intake.SubmitAsync(submission, new IdempotencyClaim(user.UserId, key, draft.Id, 202, id => $$"""{"orderId":"{{id}}"}"""), cancellationToken);
        var orderId = result switch
        {
            IntakeResult.Accepted accepted => accepted.Order.Id,
            IntakeResult.Duplicate duplicate => duplicate.Record.OrderId,
            _ => throw new InvalidOperationException("Unknown intake result."),
        };
        OrderIds.TryGetCreatedAt(orderId, out var createdAt);
        var number = await turn.Db.Orders.AsNoTracking().Where(o => o.Id == orderId && o.CreatedAt == createdAt).Select(o => o.OrderNumber).SingleAsync(cancellationToken);
        turn.Drop();
        turn.Reply("order_placed", turn.T("placed", number), orderId: orderId);
        if (result is IntakeResult.Accepted) Placed.Add(1);
        LogPlaced(logger, orderId, draft.Id);
    }

    /// <summary>
    /// The order that waited for clarification gets the read-back's lines and goes on through the pipeline
    /// (needs_clarification → parsing → parsed, then validation), in one order transaction.
    /// </summary>
    /// <returns>Its order number, or null when it no longer waits (cancelled meanwhile): then a new order is placed.</returns>
    private async Task<string?> ContinueClarifiedAsync(ChatTurn turn, CurrentUser user, ChatDraft draft, Guid orderId, CancellationToken cancellationToken)
    {
        if (!OrderIds.TryGetCreatedAt(orderId, out var createdAt)) return null;
        string? number = null;
        var result = await transactions.ChangeAsync("clarified", orderId, createdAt, (change, _) =>
        {
            var (db, order, now) = change;
            if (order.Status != OrderStatus.NeedsClarification) return Task.CompletedTask;
            db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.Parsing, user.Actor, "answered in WhatsApp", now));
            order.Items.AddRange(draft.Lines.Select(l => new OrderItem
            {
                Id = Guid.CreateVersion7(now), OrderId = order.Id, CreatedAt = order.CreatedAt, ProductId = l.ProductId, Quantity = l.Quantity,
            }));
            order.VendorId ??= draft.VendorId;
            order.FailureCode = null;
            order.FailureReason = null;
            db.OrderStatusHistory.Add(order.TransitionTo(OrderStatus.Parsed, user.Actor, $"{draft.Lines.Count} items confirmed in WhatsApp", now));
            Outbox.ForOrder(db, Streams.Orders, order, "validate", now);
            number = order.OrderNumber;
            return Task.CompletedTask;
        }, cancellationToken, scope: orders => orders.Where(o => o.RetailerId == user.RetailerId));
        return result.Outcome == OrderChangeOutcome.Committed ? number : null;
    }

    private static void Cancel(ChatTurn turn)
    {
        turn.Drop();
        turn.Reply("cancelled", turn.T("cancelled"));
    }

    private static async Task StatusAsync(ChatTurn turn, Retailer retailer, CancellationToken cancellationToken)
    {
        var orders = await turn.Db.Orders.AsNoTracking().Where(o => o.RetailerId == retailer.Id)
            .OrderByDescending(o => o.CreatedAt).Take(5).Select(o => new { o.OrderNumber, o.Status, o.Total }).ToListAsync(cancellationToken);
        if (orders.Count == 0)
        {
            turn.Reply("status", turn.T("status_none"));
            return;
        }
        var text = new StringBuilder(turn.T("status_header"));
        foreach (var o in orders) text.Append('\n').Append(turn.T("status_line", o.OrderNumber, turn.Texts.Status(turn.Conversation.Language, o.Status), ChatTexts.Money(o.Total)));
        turn.Reply("status", text.ToString());
    }

    /// <summary>A short, fixed-length key of a draft for its buttons (a wamid can be 200 characters; a button id is at most 256).</summary>
    private static string Key(ChatDraft draft) => ChatActions.ReadBackKey(draft.Id);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static void Count(Counter<long> counter, string outcome) => counter.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat order from message {MessageId} read back: {LineCount} lines, total {Total}")]
    private static partial void LogReadBack(ILogger logger, string messageId, int lineCount, decimal total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} clarified and continued by Confirm on chat message {MessageId}")]
    private static partial void LogClarified(ILogger logger, Guid orderId, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} placed by Confirm on chat message {MessageId}")]
    private static partial void LogPlaced(ILogger logger, Guid orderId, string messageId);
}

/// <summary>What was read from a message before its turn (outside the transaction: a model call can take seconds).</summary>
/// <param name="Clarifies">The order waiting for clarification that this message answers, if any.</param>
public sealed record ChatReading(string MessageId, ParsedOrder? Parsed, IReadOnlyList<ParserProduct> Products, Guid? Clarifies = null);
