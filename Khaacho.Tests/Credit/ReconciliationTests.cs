using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Khaacho.Core.Credit;
using Khaacho.Core.Orders;
using Khaacho.Tests.Hosting;
using Khaacho.Worker.Credit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Khaacho.Tests.Credit;

[Collection(AppCollection.Name)]
public sealed partial class ReconciliationTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_retailer_whose_balance_disagrees_with_its_ledger_is_reported_by_the_job_metric_and_the_api()
    {
        var account = await fixture.NewRetailerAsync(creditLimit: 1_000m, outstanding: 200m);
        using var operatorClient = await fixture.LoginAsync(ApiClient.OperatorPhone);
        try
        {
            // A balance changed behind the ledger's back (the CHECK still holds: only the ledger can tell).
            await fixture.ExecuteAsync("UPDATE retailers SET outstanding = outstanding + 1, available_credit = available_credit - 1 WHERE id = @id", ("id", account.Id));
            var report = await operatorClient.GetFromJsonAsync<JsonElement>("/api/v1/credit/reconciliation");
            var mismatch = report.GetProperty("mismatches").EnumerateArray().Single(m => m.GetProperty("retailerId").GetGuid() == account.Id);
            Assert.Equal(201m, mismatch.GetProperty("outstanding").GetDecimal());
            Assert.Equal(200m, mismatch.GetProperty("ledgerOutstanding").GetDecimal());
            await Eventually.UntilAsync(async () => await UnreconciledAsync() >= 1, 30, "the reconciliation job's gauge above 0");
        }
        finally
        {
            await fixture.ExecuteAsync("UPDATE retailers SET outstanding = outstanding - 1, available_credit = available_credit + 1 WHERE id = @id", ("id", account.Id));
        }
        var after = await operatorClient.GetFromJsonAsync<JsonElement>("/api/v1/credit/reconciliation");
        Assert.DoesNotContain(after.GetProperty("mismatches").EnumerateArray(), m => m.GetProperty("retailerId").GetGuid() == account.Id);
    }

    [Fact]
    public async Task The_database_refuses_a_balance_that_does_not_add_up_and_any_edit_of_the_ledger_or_a_payment()
    {
        var account = await fixture.NewRetailerAsync(creditLimit: 1_000m, outstanding: 200m);
        var check = await Assert.ThrowsAsync<PostgresException>(() =>
            fixture.ExecuteAsync("UPDATE retailers SET available_credit = available_credit + 1 WHERE id = @id", ("id", account.Id)));
        Assert.Equal(PostgresErrorCodes.CheckViolation, check.SqlState);
        foreach (var edit in (string[])["UPDATE credit_ledger SET amount = 0 WHERE retailer_id = @id", "DELETE FROM credit_ledger WHERE retailer_id = @id"])
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => fixture.ExecuteAsync(edit, ("id", account.Id)));
            Assert.Contains("append-only", refused.MessageText);
        }
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM credit_ledger WHERE retailer_id = @id", ("id", account.Id)));
    }

    [Fact]
    public async Task The_daily_reminder_tells_each_retailer_past_its_terms_once_a_day_whichever_replica_sends_it()
    {
        var overdue = await fixture.NewRetailerAsync(creditLimit: 10_000m, outstanding: 3_000m, termsDays: 30); // owed since a year ago
        var withinTerms = await fixture.NewRetailerAsync(creditLimit: 10_000m, outstanding: 3_000m, termsDays: 400);
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now);
        await using var services = await InProcessServices.CreateAsync(fixture, clock, configure: s => s.AddKhaachoCredit());
        var reminders = new PaymentReminders(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<Core.Messaging.OutboxPublisher>(),
            Options.Create(new CreditOptions()), clock, NullLogger<PaymentReminders>.Instance);
        var today = NepalTime.DayOf(now);

        var sent = await Task.WhenAll(reminders.SendDueAsync(today, CancellationToken.None), reminders.SendDueAsync(today, CancellationToken.None));
        Assert.Equal(1L, await RemindersAsync(overdue));
        Assert.Equal(0L, await RemindersAsync(withinTerms));
        await reminders.SendDueAsync(today, CancellationToken.None);
        Assert.Equal(1L, await RemindersAsync(overdue));
        var text = await fixture.ScalarAsync<string>("SELECT message FROM notifications WHERE recipient_id = @r AND kind = 'payment_reminder'", ("r", overdue.Id));
        Assert.Contains("NPR 3,000.00", text);
        await reminders.SendDueAsync(today.AddDays(1), CancellationToken.None);
        Assert.Equal(2L, await RemindersAsync(overdue));
    }

    [Fact]
    public void The_statuses_that_hold_credit_are_the_ones_the_reconciliation_counts()
    {
        var counted = StatusList().Match(CreditReconciliation.MismatchesSql).Groups["list"].Value
            .Split(',').Select(s => s.Trim().Trim('\'')).Order().ToList();
        var holding = Enum.GetValues<OrderStatus>().Where(Reservations.HoldsCredit).Select(s => s.ToWire()).Order().ToList();
        Assert.Equal(holding, counted);
    }

    private Task<long> RemindersAsync(TestRetailer account) =>
        fixture.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE recipient_id = @r AND kind = 'payment_reminder'", ("r", account.Id));

    private async Task<double> UnreconciledAsync()
    {
        using var client = fixture.CreateHttpClient("worker-orders");
        var match = UnreconciledSample().Match(await client.GetStringAsync("/metrics"));
        return match.Success ? double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) : -1;
    }

    [GeneratedRegex(@"^khaacho_credit_unreconciled_retailers(\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex UnreconciledSample();

    [GeneratedRegex(@"status IN \((?<list>[^)]*)\)")]
    private static partial Regex StatusList();
}
