using System.Text.Json;
using System.Text.RegularExpressions;
using Khaacho.Tests.Hosting;
using Npgsql;

namespace Khaacho.Tests.Chaos;

/// <summary>Counts, from PostgreSQL and the webhook stub, what became of the orders one fault's load sent.</summary>
public sealed partial class Accounting(ChaosFixture fixture)
{
    /// <summary>Statuses an order passes through on its own; one still in them after the settle time is stuck.</summary>
    public static readonly string[] PipelineStatuses = ["received", "parsing", "parsed", "validated", "rejected_by_vendor"];
    private static readonly string[] ConfirmedStatuses = ["confirmed", "accepted", "dispatched", "delivered", "completed"];

    private sealed record OrderRow(string Key, Guid Id, string Status, string Reason, int Reroutes, string Number, long Confirmations, long DoubleReserves);

    /// <summary>
    /// Waits until none of these orders is in the pipeline, no notification of theirs waits and none of their outbox rows
    /// is unpublished. Gives up when nothing has moved for <paramref name="settle"/> (what is left then is stuck), or
    /// after four times that in all: on a machine short of CPU a slow drain is not a stuck one.
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<Submission> submissions, TimeSpan settle)
    {
        var notes = Notes(submissions);
        var giveUp = DateTime.UtcNow + 4 * settle;
        var lastMove = DateTime.UtcNow;
        var waiting = long.MaxValue;
        while (DateTime.UtcNow < giveUp && DateTime.UtcNow < lastMove + settle)
        {
            try
            {
                var now = await fixture.ScalarAsync<long>("""
                    SELECT (SELECT count(*) FROM orders WHERE notes = ANY(@notes) AND status = ANY(@pipeline))
                         + (SELECT count(*) FROM notifications n JOIN orders o ON o.id = n.order_id WHERE o.notes = ANY(@notes) AND n.status IN ('pending', 'sending'))
                         + (SELECT count(*) FROM outbox x JOIN orders o ON o.id = x.order_id WHERE o.notes = ANY(@notes))
                    """, ("notes", notes), ("pipeline", PipelineStatuses));
                if (now == 0) return;
                if (now < waiting) (waiting, lastMove) = (now, DateTime.UtcNow);
            }
            catch (NpgsqlException)
            {
                // PostgreSQL is still coming back from the fault: keep waiting.
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    public async Task<FaultResult> CountAsync(Fault fault, IReadOnlyList<Submission> submissions, double loadSeconds, double settleSeconds, string? error)
    {
        var orders = await OrdersAsync(submissions);
        var byKey = orders.ToLookup(o => o.Key);
        var known = orders.Select(o => o.Id).ToHashSet();
        var accepted = submissions.Where(s => s.Accepted).ToList();
        var failedOrAsked = orders.Where(o => o.Status is "failed" or "needs_clarification").ToList();
        var numbers = orders.Select(o => o.Number).ToHashSet();

        return new FaultResult(
            fault.Name, fault.What,
            Sent: submissions.Count,
            Accepted: accepted.Count,
            Retried: submissions.Count(s => s.Attempts > 1),
            SlowestAnswerSeconds: Math.Round(submissions.Max(s => s.Took).TotalSeconds, 1),
            NotAccepted: submissions.Where(s => !s.Accepted).GroupBy(s => s.LastOutcome ?? "unanswered").ToDictionary(g => g.Key, g => g.Count()),
            Confirmed: orders.Count(o => ConfirmedStatuses.Contains(o.Status)),
            Failed: failedOrAsked.Count(o => o.Status == "failed" && o.Reason.Length > 0),
            NeedsClarification: failedOrAsked.Count(o => o.Status == "needs_clarification" && o.Reason.Length > 0),
            Unexplained: failedOrAsked.Count(o => o.Reason.Length == 0),
            Stuck: orders.Count(o => PipelineStatuses.Contains(o.Status)),
            Lost: accepted.Count(s => !byKey[s.Key].Any() && !s.OrderIds.Any(known.Contains)),
            Duplicated: new Duplicates(
                Orders: submissions.Count(s => byKey[s.Key].Count() > 1 || s.OrderIds.Count > 1),
                Confirmations: orders.Count(o => o.Confirmations > o.Reroutes + 1),
                CreditReserves: orders.Count(o => o.DoubleReserves > 0),
                Notifications: DuplicateDeliveries(numbers)),
            StockViolations: await fixture.CountStockViolationsAsync(),
            CreditViolations: await fixture.CountCreditViolationsAsync(),
            NotificationsUndelivered: (int)await fixture.ScalarAsync<long>("""
                SELECT count(*) FROM notifications n JOIN orders o ON o.id = n.order_id WHERE o.notes = ANY(@notes) AND n.status <> 'sent'
                """, ("notes", Notes(submissions))),
            Statuses: orders.GroupBy(o => o.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            Reasons: failedOrAsked.GroupBy(o => ReasonKind(o.Reason)).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            LoadSeconds: Math.Round(loadSeconds, 1),
            SettleSeconds: Math.Round(settleSeconds, 1),
            Error: error);
    }

    /// <summary>
    /// What became of a webhook load: every message stored is handled once (waits up to <paramref name="settle"/> for the
    /// last ones), and each handled "status" question got exactly one answer.
    /// </summary>
    public async Task<WebhookCounts> CountWebhookAsync(IReadOnlyList<WebhookDelivery> deliveries, DateTimeOffset since, TimeSpan settle)
    {
        if (deliveries.Count == 0) return new WebhookCounts(0, 0, 0);
        var ids = deliveries.Select(d => d.Wamid).ToArray();
        var deadline = DateTime.UtcNow + settle;
        while (DateTime.UtcNow < deadline && await fixture.ScalarAsync<long>(
                   "SELECT count(*) FROM whatsapp_inbox WHERE id = ANY(@ids) AND processed_at IS NULL", ("ids", ids)) > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        var handled = (await fixture.ColumnAsync<string>("SELECT id FROM whatsapp_inbox WHERE id = ANY(@ids) AND processed_at IS NOT NULL", ("ids", ids))).ToHashSet();
        var phones = deliveries.Select(d => d.Phone).Distinct().ToArray();
        var replies = new Dictionary<string, long>();
        foreach (var phone in phones)
        {
            replies[phone] = await fixture.ScalarAsync<long>(
                "SELECT count(*) FROM notifications WHERE recipient_phone = @p AND kind = 'status' AND created_at >= @since", ("p", phone), ("since", since));
        }
        var duplicated = deliveries.GroupBy(d => d.Phone).Sum(g => (int)Math.Max(0, replies[g.Key] - g.Count(d => handled.Contains(d.Wamid))));
        return new WebhookCounts(deliveries.Count(d => d.Answered), deliveries.Count(d => d.Answered && !handled.Contains(d.Wamid)), duplicated);
    }

    private async Task<List<OrderRow>> OrdersAsync(IReadOnlyList<Submission> submissions)
    {
        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        // Two reserves in a row in an order's credit ledger (ordered as written) mean credit was taken twice.
        await using var command = new NpgsqlCommand("""
            SELECT o.notes, o.id, o.status, coalesce(o.failure_reason, ''), o.reroutes, o.order_number,
                   (SELECT count(*) FROM order_status_history h WHERE h.order_id = o.id AND h.created_at = o.created_at AND h.to_status = 'confirmed'),
                   (SELECT count(*) FROM (SELECT kind, lag(kind) OVER (ORDER BY created_at, id) AS previous
                                          FROM credit_ledger l WHERE l.order_id = o.id) k
                    WHERE k.kind = 'reserve' AND k.previous = 'reserve')
            FROM orders o WHERE o.notes = ANY(@notes)
            """, connection);
        command.Parameters.AddWithValue("notes", Notes(submissions));
        var rows = new List<OrderRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new OrderRow(reader.GetString(0)[OrderMix.NotesPrefix.Length..], reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetString(5), reader.GetInt64(6), reader.GetInt64(7)));
        }
        return rows;
    }

    /// <summary>
    /// Messages the webhook delivered more than once, among those about <paramref name="orderNumbers"/>: one message is
    /// its notification id (<c>biz_opaque_callback_data</c>) when the worker sends it, else its recipient and text.
    /// </summary>
    private int DuplicateDeliveries(HashSet<string> orderNumbers) => fixture.WhatsApp.Delivered
        .Select(body => (Identity: Identity(body), Text: Text(body)))
        .Where(m => OrderNumber().Match(m.Text) is { Success: true } match && orderNumbers.Contains(match.Value))
        .GroupBy(m => m.Identity)
        .Sum(g => g.Count() - 1);

    private static string Identity(JsonElement body) =>
        body.TryGetProperty("biz_opaque_callback_data", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : $"{(body.TryGetProperty("to", out var to) ? to.GetString() : "")}\n{Text(body)}";

    /// <summary>What a message says: a text's body, an interactive message's body, a template's parameters.</summary>
    private static string Text(JsonElement body) =>
        body.TryGetProperty("type", out var type) && type.GetString() is "text" or "interactive" or "template" ? WhatsApp.MetaWebhook.TextOf(body) : "";

    /// <summary>A reason with its numbers (order numbers, quantities, the text's own) taken out, so alike reasons count together.</summary>
    private static string ReasonKind(string reason)
    {
        var kind = Digits().Replace(reason, "#");
        return kind.Length > 80 ? kind[..80] : kind;
    }

    private static string[] Notes(IReadOnlyList<Submission> submissions) => [.. submissions.Select(s => OrderMix.Notes(s.Key))];

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"ORD-\d{4}-\d+")]
    private static partial Regex OrderNumber();
}
