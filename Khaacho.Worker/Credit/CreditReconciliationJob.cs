using System.Diagnostics.Metrics;
using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Credit;

/// <summary>
/// Checks every retailer's balances against its ledger and its open orders on a timer and exports how many disagree
/// (<c>khaacho_credit_unreconciled_retailers</c>; the alert KhaachoCreditLedgerMismatch fires above 0).
/// </summary>
public sealed partial class CreditReconciliationJob : BackgroundService
{
    private static readonly Counter<long> Runs = KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.credit.reconciliations", description: "Reconciliation runs of the credit ledger, by result (balanced, mismatch, error)");
    private readonly IServiceScopeFactory scopes;
    private readonly IOptions<CreditOptions> options;
    private readonly TimeProvider clock;
    private readonly ILogger<CreditReconciliationJob> logger;
    private long unreconciled;
    private long lastRunUnixSeconds;

    public CreditReconciliationJob(IServiceScopeFactory scopes, IOptions<CreditOptions> options, TimeProvider clock, ILogger<CreditReconciliationJob> logger)
    {
        (this.scopes, this.options, this.clock, this.logger) = (scopes, options, clock, logger);
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.credit.unreconciled_retailers", () => Interlocked.Read(ref unreconciled),
            description: "Retailers whose balances disagreed with the ledger or their open orders at the last reconciliation");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.credit.reconciled_at", () => Interlocked.Read(ref lastRunUnixSeconds),
            unit: "s", description: "Unix time of the last completed reconciliation");
    }

    public static void InitializeMetrics()
    {
        foreach (var result in (string[])["balanced", "mismatch", "error"]) Runs.Add(0, new KeyValuePair<string, object?>("result", result));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ReconcileLoggedAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await ReconcileLoggedAsync(stoppingToken);
    }

    private async Task ReconcileLoggedAsync(CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("credit.reconcile");
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var mismatches = await CreditReconciliation.FindMismatchesAsync(scope.ServiceProvider.GetRequiredService<KhaachoDbContext>(), cancellationToken);
            Interlocked.Exchange(ref unreconciled, mismatches.Count);
            Interlocked.Exchange(ref lastRunUnixSeconds, clock.GetUtcNow().ToUnixTimeSeconds());
            Runs.Add(1, new KeyValuePair<string, object?>("result", mismatches.Count == 0 ? "balanced" : "mismatch"));
            activity?.SetTag("khaacho.unreconciled_retailers", mismatches.Count);
            foreach (var m in mismatches.Take(20))
                LogMismatch(logger, m.RetailerId, m.Code, m.Outstanding, m.LedgerOutstanding, m.Reserved, m.LedgerReserved, m.HeldByOrders, m.AvailableCredit, m.CreditLimit);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Runs.Add(1, new KeyValuePair<string, object?>("result", "error"));
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Retailer {RetailerId} ({Code}) does not reconcile: outstanding {Outstanding} vs ledger {LedgerOutstanding}, reserved {Reserved} vs ledger {LedgerReserved} vs open orders {HeldByOrders}, available {AvailableCredit} of limit {CreditLimit}")]
    private static partial void LogMismatch(ILogger logger, Guid retailerId, string code, decimal outstanding, decimal ledgerOutstanding, decimal reserved, decimal ledgerReserved, decimal heldByOrders, decimal availableCredit, decimal creditLimit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling the credit ledger failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
