using System.Diagnostics.Metrics;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Maintenance;

public sealed class PartitionMaintenanceOptions
{
    public const string Section = "Partitions";

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
    /// <summary>Monthly partitions kept ahead of the current month.</summary>
    public int MonthsAhead { get; set; } = 3;
    /// <summary>Partitions whose month ended longer ago than this are detached into the <c>archive</c> schema.</summary>
    public int RetentionMonths { get; set; } = 24;
}

/// <summary>
/// Keeps monthly partitions of orders, order_items and order_status_history created ahead, and detaches old ones
/// into the <c>archive</c> schema. Idempotent; one replica at a time (a transaction-scoped advisory lock).
/// </summary>
public sealed partial class PartitionMaintenance(
    IServiceScopeFactory scopes, IOptions<PartitionMaintenanceOptions> options, TimeProvider clock, ILogger<PartitionMaintenance> logger)
    : BackgroundService
{
    private const long LockKey = 7248002;
    // Children first: their foreign keys point at orders.
    private static readonly string[] Tables = ["order_status_history", "order_items", "orders"];
    private static int monthsAhead;

    static PartitionMaintenance() =>
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.partitions.ahead", () => monthsAhead, description: "Monthly order partitions that exist after the current month");

    public sealed record Result(bool Ran, int Created, IReadOnlyList<string> Archived, int MonthsAhead);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("partitions.maintain");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var firstOfMonth = new DateOnly(today.Year, today.Month, 1);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockKey}) AS \"Value\"").SingleAsync(ct);
            if (!locked) return new Result(false, 0, [], monthsAhead);

            var created = await db.Database.SqlQuery<int>(
                $"SELECT khaacho_ensure_order_partitions({options.Value.MonthsAhead}, {today}) AS \"Value\"").SingleAsync(ct);
            var archived = new List<string>();
            var cutoff = firstOfMonth.AddMonths(-options.Value.RetentionMonths);
            // Not CREATE SCHEMA IF NOT EXISTS: that needs CREATE on the database even when the schema exists, which the
            // deployed maintenance login does not have (the migrations job creates the schema for it).
            await db.Database.ExecuteSqlRawAsync("DO $a$ BEGIN IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'archive') THEN CREATE SCHEMA archive; END IF; END $a$", ct);
            foreach (var table in Tables)
            {
                // $$: the regex quantifiers {4} and {2} are SQL, not C# interpolation.
                var partitions = await db.Database.SqlQuery<string>($$"""
                    SELECT child.relname::text AS "Value" FROM pg_inherits
                    JOIN pg_class parent ON parent.oid = inhparent JOIN pg_class child ON child.oid = inhrelid
                    JOIN pg_namespace ns ON ns.oid = child.relnamespace
                    WHERE parent.relname = {{table}} AND ns.nspname = 'public' AND child.relname ~ '_y\d{4}m\d{2}$'
                    """).ToListAsync(ct);
                foreach (var partition in partitions.Where(p => MonthOf(p).AddMonths(1) <= cutoff))
                {
                    await DdlAsync(db, "ALTER TABLE " + Quote(table) + " DETACH PARTITION " + Quote(partition), ct);
                    await DropForeignKeysAsync(db, partition, ct);
                    await DdlAsync(db, "ALTER TABLE " + Quote(partition) + " SET SCHEMA archive", ct);
                    archived.Add(partition);
                }
            }
            var ahead = await db.Database.SqlQuery<int>($$"""
                SELECT count(*)::int AS "Value" FROM pg_inherits JOIN pg_class parent ON parent.oid = inhparent JOIN pg_class child ON child.oid = inhrelid
                WHERE parent.relname = 'orders' AND child.relname ~ '_y\d{4}m\d{2}$'
                  AND to_date(substring(child.relname from '_y(\d{4})m') || substring(child.relname from 'm(\d{2})$'), 'YYYYMM') > {{firstOfMonth}}
                """).SingleAsync(ct);
            await transaction.CommitAsync(ct);
            monthsAhead = ahead;
            LogMaintained(logger, created, archived.Count, ahead);
            return new Result(true, created, archived, ahead);
        }, cancellationToken);
    }

    /// <summary>An archived partition keeps no foreign key into the live tables, or the next month's detach would fail.</summary>
    private static async Task DropForeignKeysAsync(KhaachoDbContext db, string partition, CancellationToken cancellationToken)
    {
        var constraints = await db.Database.SqlQuery<string>($"""
            SELECT conname AS "Value" FROM pg_constraint WHERE conrelid = {partition}::regclass AND contype = 'f'
            """).ToListAsync(cancellationToken);
        foreach (var constraint in constraints)
            await DdlAsync(db, "ALTER TABLE " + Quote(partition) + " DROP CONSTRAINT " + Quote(constraint), cancellationToken);
    }

    // Identifiers cannot be parameters; these come from the catalogue or from constants, and are quoted regardless.
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static Task<int> DdlAsync(KhaachoDbContext db, string sql, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(sql, cancellationToken);

    private static DateOnly MonthOf(string partition) =>
        new(int.Parse(partition[^7..^3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(partition[^2..], System.Globalization.CultureInfo.InvariantCulture), 1);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partitions: created {Created}, archived {Archived}; {MonthsAhead} months ahead")]
    private static partial void LogMaintained(ILogger logger, int created, int archived, int monthsAhead);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition maintenance failed; retrying on the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
