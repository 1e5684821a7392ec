namespace Khaacho.Tests.Chaos;

/// <summary>A webhook load's outcome: messages Meta delivered (answered 200), those never handled or not stored, and extra replies.</summary>
public sealed record WebhookCounts(int Delivered, int Lost, int Duplicated);

/// <summary>Duplicated effects, by kind: each must be 0.</summary>
public sealed record Duplicates(int Orders, int Confirmations, int CreditReserves, int Notifications)
{
    public int Total => Orders + Confirmations + CreditReserves + Notifications;
}

/// <summary>What one fault did to the orders sent around it, measured from PostgreSQL and at the webhook after it settled.</summary>
/// <param name="NotAccepted">Final answers other than 202 (and requests never answered), by answer: "503", "timeout", ...</param>
/// <param name="Retried">Orders the client had to send more than once (same key) before an answer it could keep.</param>
/// <param name="SlowestAnswerSeconds">The longest any order waited, with its retries, for its last answer.</param>
/// <param name="Unexplained">Failed or needing clarification with no reason the retailer can read.</param>
/// <param name="NotificationsUndelivered">Notifications of these orders never delivered (failed or still waiting), at settle time.</param>
/// <param name="Statuses">Every order of the fault by status at settle time.</param>
/// <param name="Reasons">Why orders failed or what they were asked, by reason (numbers taken out, the first 80 characters).</param>
public sealed record FaultResult(
    string Fault,
    string What,
    int Sent,
    int Accepted,
    int Retried,
    double SlowestAnswerSeconds,
    IReadOnlyDictionary<string, int> NotAccepted,
    int Confirmed,
    int Failed,
    int NeedsClarification,
    int Unexplained,
    int Stuck,
    int Lost,
    Duplicates Duplicated,
    long StockViolations,
    long CreditViolations,
    int NotificationsUndelivered,
    IReadOnlyDictionary<string, int> Statuses,
    IReadOnlyDictionary<string, int> Reasons,
    double LoadSeconds,
    double SettleSeconds,
    string? Error)
{
    /// <summary>WhatsApp messages the fault's webhook load delivered, and of those: never handled, and answered more than once.</summary>
    public WebhookCounts Webhook { get; init; } = new(0, 0, 0);

    /// <summary>Whether the promise held: nothing lost, stranded, duplicated or unexplained, invariants intact.</summary>
    public bool Held => Lost == 0 && Stuck == 0 && Duplicated.Total == 0 && Unexplained == 0 && StockViolations == 0 && CreditViolations == 0 && Error is null
        && Webhook.Lost == 0 && Webhook.Duplicated == 0;
}
