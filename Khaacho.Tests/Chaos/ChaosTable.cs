using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Khaacho.Tests.Chaos;

/// <summary>The chaos run's report: a Markdown table, one row per fault, and the same numbers as JSON.</summary>
public static class ChaosTable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Markdown(IReadOnlyList<FaultResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| Fault | Sent | Accepted | Not accepted | Confirmed | Failed (reason) | Clarification asked | Stuck | Lost | Duplicated (orders/confirmations/credit/notices) | Stock | Credit | Notices undelivered | WhatsApp delivered / lost / answered twice | Held |");
        table.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---|---|---:|---|---|");
        foreach (var r in results)
        {
            var notAccepted = r.NotAccepted.Count == 0 ? "0" : string.Join(", ", r.NotAccepted.OrderByDescending(p => p.Value).Select(p => $"{p.Key}: {p.Value}"));
            var failed = r.Unexplained > 0 ? $"{r.Failed} (+{r.Unexplained} without a reason)" : Number(r.Failed);
            var d = r.Duplicated;
            table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Fault}{(r.Error is null ? "" : $" (error: {r.Error})")} | {r.Sent} | {r.Accepted} | {notAccepted} | {r.Confirmed} | {failed} | {r.NeedsClarification} | {r.Stuck} | {r.Lost} | {d.Total} ({d.Orders}/{d.Confirmations}/{d.CreditReserves}/{d.Notifications}) | {Invariant(r.StockViolations, "vendor products")} | {Invariant(r.CreditViolations, "retailers")} | {r.NotificationsUndelivered} | {(r.Webhook.Delivered == 0 ? "—" : $"{r.Webhook.Delivered} / {r.Webhook.Lost} / {r.Webhook.Duplicated}")} | {(r.Held ? "yes" : "**no**")} |");
        }
        return table.ToString();
    }

    public static string Describe(IReadOnlyList<FaultResult> results) =>
        string.Join('\n', results.Select(r => $"- **{r.Fault}**: {r.What}; load {r.LoadSeconds} s ({r.Retried} orders sent again with their key, slowest answer {r.SlowestAnswerSeconds} s), settled after {r.SettleSeconds} s; statuses: {string.Join(", ", r.Statuses.Select(p => $"{p.Key} {p.Value}"))}{Reasons(r)}.")) + "\n";

    private static string Reasons(FaultResult r) =>
        r.Reasons.Count == 0 ? "" : "; reasons: " + string.Join("; ", r.Reasons.Take(4).Select(p => $"\"{p.Key}\" × {p.Value}"));

    public static string ToJson(object report) => JsonSerializer.Serialize(report, Json);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(long violations, string what) => violations == 0 ? "held" : $"**broken** ({violations} {what})";
}
