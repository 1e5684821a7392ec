using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HdrHistogram;
using Npgsql;

namespace Khaacho.Bench;

/// <summary>What PostgreSQL itself sustains for intake's transaction, measured by pgbench in the same run.</summary>
public sealed record PgbenchResult(int Clients, double Seconds, double TransactionsPerSecond, int FixedRatePerSecond, Percentiles FixedRateLatency);

/// <summary>
/// pgbench against the system's own PostgreSQL with one transaction of intake's shape: an order, two items, the first
/// status-history row, the idempotency record and the outbox row, into scratch tables made LIKE the real ones
/// (partitioned the same way, same indexes, checks and foreign keys to retailers and products), so the relay and the
/// workers never see these rows. Run twice: flat out (the throughput limit) and at a fixed 500/s (the latency floor
/// for intake's p99 goal at that rate; with --rate, pgbench times each transaction from its scheduled start).
/// </summary>
internal static partial class PgbenchLimit
{
    public const int Clients = 16;

    public static async Task<PgbenchResult> MeasureAsync(NpgsqlDataSource database, string connectionString, string workDirectory, TimeSpan duration, int fixedRate, CancellationToken cancellationToken)
    {
        var (retailers, products) = await PrepareAsync(database);
        var script = Path.Combine(workDirectory, "intake-transaction.sql");
        await File.WriteAllTextAsync(script, Script(retailers, products), cancellationToken);
        try
        {
            var flatOut = await RunAsync(connectionString, ["-c", $"{Clients}", "-j", "2", "-T", Seconds(duration), "-f", script], cancellationToken);
            var tps = double.Parse(TpsLine().Match(flatOut).Groups[1].Value, CultureInfo.InvariantCulture);

            var fixedRateLatency = await FixedRateAsync(connectionString, workDirectory, duration, fixedRate, script, cancellationToken);
            return new PgbenchResult(Clients, duration.TotalSeconds, Math.Round(tps), fixedRate, fixedRateLatency);
        }
        finally
        {
            await using var drop = database.CreateCommand(DropTables);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The webhook's own transaction, as <c>WhatsAppInbox</c> runs it: BEGIN, the inbox row (<c>ON CONFLICT (id) DO
    /// NOTHING</c>), its outbox row, COMMIT, with a message of the size the benchmark posts, into scratch tables made
    /// LIKE the real ones, at a fixed rate: the database's share of a webhook POST at that load.
    /// </summary>
    public static async Task<Percentiles> WebhookTransactionAsync(NpgsqlDataSource database, string connectionString, string workDirectory,
        TimeSpan duration, int rate, IReadOnlyList<string> phones, string samplePayload, CancellationToken cancellationToken)
    {
        await using (var create = database.CreateCommand($"""
            {DropWebhookTables};
            CREATE TABLE bench_whatsapp_inbox (LIKE whatsapp_inbox INCLUDING ALL);
            CREATE TABLE bench_whatsapp_outbox (LIKE outbox INCLUDING ALL);
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var script = Path.Combine(workDirectory, "webhook-transaction.sql");
        // pgbench reads ':name' as a variable: the payload's colons (none is followed by a letter) stay as they are.
        await File.WriteAllTextAsync(script, $$"""
            \set p random(1, {{phones.Count}})
            \set w random(1, 1000000000000000)
            BEGIN;
            INSERT INTO bench_whatsapp_inbox (id, kind, phone, payload, received_at, queued_at)
            VALUES ('wamid.bench' || :w::bigint, 'message', (ARRAY[{{string.Join(',', phones.Select(p => $"'{p}'"))}}])[:p], '{{samplePayload.Replace("'", "''", StringComparison.Ordinal)}}', now(), now())
            ON CONFLICT (id) DO NOTHING;
            INSERT INTO bench_whatsapp_outbox (stream, payload, trace_parent, created_at)
            VALUES ('whatsapp', jsonb_build_object('inboxId', 'wamid.bench' || :w::bigint), '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', now());
            COMMIT;
            """, cancellationToken);
        try
        {
            return await FixedRateAsync(connectionString, workDirectory, duration, rate, script, cancellationToken);
        }
        finally
        {
            await using var drop = database.CreateCommand(DropWebhookTables);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>pgbench at a fixed rate (<c>--rate</c>): latency of each transaction from its scheduled start, from pgbench's per-transaction log.</summary>
    private static async Task<Percentiles> FixedRateAsync(string connectionString, string workDirectory, TimeSpan duration, int rate, string script, CancellationToken cancellationToken)
    {
        var logPrefix = Path.Combine(workDirectory, "pgbench-fixed-rate");
        foreach (var old in Directory.GetFiles(workDirectory, "pgbench-fixed-rate*")) File.Delete(old);
        await RunAsync(connectionString, ["-c", $"{Clients}", "-j", "2", "-T", Seconds(duration), "-R", $"{rate}", "-l", "--log-prefix", logPrefix, "-f", script], cancellationToken);
        var histogram = new LongHistogram(120_000_000L /* 2 min in µs */, 3);
        foreach (var log in Directory.GetFiles(workDirectory, "pgbench-fixed-rate*"))
        {
            // client_id transaction_no time_us script_no epoch epoch_us [schedule_lag_us]
            foreach (var line in File.ReadLines(log))
            {
                var fields = line.Split(' ');
                if (fields.Length > 2 && long.TryParse(fields[2], CultureInfo.InvariantCulture, out var microseconds)) histogram.RecordValue(Math.Max(1, microseconds));
            }
            File.Delete(log);
        }
        return Percentiles.Of(histogram);
    }

    private const string DropWebhookTables = "DROP TABLE IF EXISTS bench_whatsapp_inbox, bench_whatsapp_outbox";

    private static string Seconds(TimeSpan duration) => ((int)Math.Max(1, duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private const string DropTables = "DROP TABLE IF EXISTS bench_outbox, bench_idempotency_keys, bench_order_status_history, bench_order_items, bench_orders CASCADE";

    private static async Task<(string[] Retailers, string[] Products)> PrepareAsync(NpgsqlDataSource database)
    {
        await using (var create = database.CreateCommand($"""
            {DropTables};
            CREATE OR REPLACE FUNCTION bench_uuid7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
                SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 1, 20))::uuid $$;
            CREATE TABLE bench_orders (LIKE orders INCLUDING ALL) PARTITION BY RANGE (created_at);
            CREATE TABLE bench_orders_default PARTITION OF bench_orders DEFAULT;
            ALTER TABLE bench_orders ADD FOREIGN KEY (retailer_id) REFERENCES retailers (id), ADD FOREIGN KEY (vendor_id) REFERENCES vendors (id);
            CREATE TABLE bench_order_items (LIKE order_items INCLUDING ALL) PARTITION BY RANGE (created_at);
            CREATE TABLE bench_order_items_default PARTITION OF bench_order_items DEFAULT;
            ALTER TABLE bench_order_items ADD FOREIGN KEY (product_id) REFERENCES products (id),
                ADD FOREIGN KEY (order_id, created_at) REFERENCES bench_orders (id, created_at) ON DELETE CASCADE;
            CREATE TABLE bench_order_status_history (LIKE order_status_history INCLUDING ALL) PARTITION BY RANGE (created_at);
            CREATE TABLE bench_order_status_history_default PARTITION OF bench_order_status_history DEFAULT;
            ALTER TABLE bench_order_status_history ADD FOREIGN KEY (order_id, created_at) REFERENCES bench_orders (id, created_at) ON DELETE CASCADE;
            CREATE TABLE bench_idempotency_keys (LIKE idempotency_keys INCLUDING ALL);
            CREATE TABLE bench_outbox (LIKE outbox INCLUDING ALL);
            """))
        {
            await create.ExecuteNonQueryAsync();
        }
        return (await IdsAsync(database, "SELECT id FROM retailers ORDER BY code"), await IdsAsync(database, "SELECT id FROM products ORDER BY code"));
    }

    private static async Task<string[]> IdsAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0).ToString());
        return [.. ids];
    }

    /// <summary>
    /// One statement, so one round trip and one commit (intake's batched SaveChanges needs a second round trip for
    /// COMMIT, so this is the best case). No ':' in literals: pgbench would read it as a variable.
    /// </summary>
    private static string Script(string[] retailers, string[] products)
    {
        string Array(string[] ids) => $"ARRAY[{string.Join(',', ids.Select(id => $"'{id}'"))}]::uuid[]";
        return $$"""
            \set r random(1, {{retailers.Length}})
            \set p1 random(1, {{products.Length}})
            \set p2 random(1, {{products.Length}})
            WITH o AS (
                INSERT INTO bench_orders (id, created_at, retailer_id, status, source, subtotal, vat, total, currency, priority, updated_at, redrives, version)
                VALUES (bench_uuid7(), now(), ({{Array(retailers)}})[:r], 'received', 'items', 0, 0, 0, 'NPR', 'normal', now(), 0, 0)
                RETURNING id, created_at, retailer_id),
            i AS (
                INSERT INTO bench_order_items (id, created_at, order_id, product_id, quantity, unit_price, line_total)
                SELECT bench_uuid7(), o.created_at, o.id, ({{Array(products)}})[p], 2, 0, 0 FROM o, unnest(ARRAY[:p1, :p2]::int[]) AS p),
            h AS (
                INSERT INTO bench_order_status_history (id, created_at, order_id, from_status, to_status, actor, at)
                SELECT bench_uuid7(), o.created_at, o.id, NULL, 'received', concat('retailer', chr(58), o.retailer_id), now() FROM o),
            k AS (
                INSERT INTO bench_idempotency_keys (user_id, key, request_hash, order_id, response_status, response_body, created_at, expires_at)
                SELECT o.retailer_id, md5(random()::text), md5(o.id::text), o.id, 202,
                       jsonb_build_object('message', 'Order accepted for processing', 'jobId', o.id, 'status', 'pending'), now(), now() + interval '1 day' FROM o)
            INSERT INTO bench_outbox (stream, payload, trace_parent, order_id, created_at)
            SELECT 'orders', jsonb_build_object('orderId', o.id, 'createdAt', o.created_at, 'step', 'validate'),
                   '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', o.id, now() FROM o;
            """;
    }

    private static async Task<string> RunAsync(string connectionString, string[] arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Executable(), ["-n", "-M", "prepared", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGDATABASE"] = connection.Database;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run pgbench");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {await error}{await output}");
        return await output;
    }

    /// <summary>pgbench of the newest PostgreSQL under /usr/lib/postgresql (where Debian puts it), else from PATH.</summary>
    private static string Executable() =>
        (Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).Where(File.Exists).OrderDescending().FirstOrDefault()
            : null) ?? "pgbench";

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
