using System.Diagnostics.Metrics;
using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Credit;

/// <summary>
/// Once a Nepal day, after <see cref="CreditOptions.ReminderTime"/>, reminds each retailer that owes money past its
/// payment terms. A <c>credit_reminders</c> row per retailer and day, written with the notice, makes it once a day
/// whichever replica gets there first.
/// </summary>
public sealed partial class PaymentReminders(
    IServiceScopeFactory scopes, OutboxPublisher publisher, IOptions<CreditOptions> options, TimeProvider clock, ILogger<PaymentReminders> logger)
    : BackgroundService
{
    private static readonly Counter<long> Sent = KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.credit.reminders", description: "Payment reminders sent to retailers with amounts past their terms");

    public static void InitializeMetrics() => Sent.Add(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReminderCheckInterval, clock);
        DateOnly? done = null; // this replica's last day sent: the ageing is read once a day, not on every tick
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var now = NepalTime.ToNepal(clock.GetUtcNow());
                var today = NepalTime.DayOf(now);
                if (done == today || TimeOnly.FromDateTime(now.DateTime) < options.Value.ReminderTime) continue;
                await SendDueAsync(today, stoppingToken);
                done = today;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    /// <summary>Reminds every retailer with an overdue amount on <paramref name="day"/> that was not reminded that day.</summary>
    public async Task<int> SendDueAsync(DateOnly day, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("credit.reminders");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var ageing = await scope.ServiceProvider.GetRequiredService<Statements>().AgeingAsync(day, null, cancellationToken);
        var reminded = await db.CreditReminders.AsNoTracking().Where(r => r.Day == day).Select(r => r.RetailerId).ToHashSetAsync(cancellationToken);
        var sent = 0;
        foreach (var due in ageing.Where(a => a.Overdue > 0 && !reminded.Contains(a.RetailerId)))
        {
            if (!await RemindAsync(db, due, day, cancellationToken)) continue;
            sent++;
            Sent.Add(1);
            LogReminded(logger, due.RetailerId, due.Overdue, day);
        }
        activity?.SetTag("khaacho.reminders_sent", sent);
        return sent;
    }

    private async Task<bool> RemindAsync(KhaachoDbContext db, RetailerAgeing due, DateOnly day, CancellationToken cancellationToken)
    {
        List<OutboxMessage> queued = [];
        var now = clock.GetUtcNow();
        var inserted = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var rows = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO credit_reminders (retailer_id, day, overdue, sent_at) VALUES ({due.RetailerId}, {day}, {due.Overdue}, {now})
                ON CONFLICT DO NOTHING
                """, ct);
            if (rows == 0) return false; // another replica reminded it today
            Outbox.Tell(db, RecipientKind.Retailer, due.RetailerId, "payment_reminder",
                $"Namaste {due.ShopName}: {Money.Format(due.Overdue)} of your khata is past your {due.PaymentTermsDays}-day terms; you owe {Money.Format(due.Buckets.Owed)} in all. Please pay your distributor.",
                now);
            queued = OutboxPublisher.Queued(db);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
        await publisher.TryPublishAllAsync(queued);
        return inserted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retailer {RetailerId} reminded of {Overdue} overdue on {Day}")]
    private static partial void LogReminded(ILogger logger, Guid retailerId, decimal overdue, DateOnly day);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending payment reminders failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
