using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Khaacho.Worker.Database;

/// <summary>Section <c>Database</c>: passwords of the least-privilege logins the migrations job keeps (deployments only).</summary>
public sealed class DatabaseRoleOptions
{
    public const string Section = "Database";

    /// <summary><c>khaacho_app</c>: rows of every table, sequences, functions; no DDL. Unset: the role is not managed.</summary>
    public string? AppPassword { get; set; }

    /// <summary><c>khaacho_maintenance</c>: what khaacho_app may, plus owning the order tables it partitions and archives.</summary>
    public string? MaintenancePassword { get; set; }
}

/// <summary>
/// Creates (or updates) the workloads' logins after the migrations, as the owner, so their grants always cover the
/// tables the migrations just made. Roles are server-wide in PostgreSQL; the grants are for this database only.
/// </summary>
internal static class DatabaseRoleGrants
{
    public const string App = "khaacho_app";
    public const string Maintenance = "khaacho_maintenance";
    private static readonly string[] PartitionedTables = ["orders", "order_items", "order_status_history"];

    public static async Task<bool> ApplyAsync(KhaachoDbContext db, DatabaseRoleOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.AppPassword) || string.IsNullOrEmpty(options.MaintenancePassword)) return false;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Serialises concurrent migration runs: CREATE ROLE and GRANT race otherwise ("tuple concurrently updated").
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(7248002)", cancellationToken);
            await EnsureLoginAsync(connection, App, options.AppPassword, cancellationToken);
            await EnsureLoginAsync(connection, Maintenance, options.MaintenancePassword, cancellationToken);
            await ExecuteAsync(connection, $"""
                DO $grants$ BEGIN
                  EXECUTE format('GRANT CONNECT ON DATABASE %I TO {App}, {Maintenance}', current_database());
                END $grants$;
                GRANT USAGE ON SCHEMA public TO {App}, {Maintenance};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {App}, {Maintenance};
                GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {App}, {Maintenance};
                GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {App}, {Maintenance};
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {App}, {Maintenance};
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {App}, {Maintenance};
                -- Partition maintenance creates monthly partitions (their foreign keys reference the catalogue) and moves
                -- old ones to the archive schema: it owns the partitioned tables and their partitions, nothing else.
                GRANT CREATE ON SCHEMA public TO {Maintenance};
                GRANT REFERENCES ON ALL TABLES IN SCHEMA public TO {Maintenance};
                CREATE SCHEMA IF NOT EXISTS archive;
                ALTER SCHEMA archive OWNER TO {Maintenance};
                """, cancellationToken);
            await ExecuteAsync(connection, $"""
                DO $owners$ DECLARE t regclass; BEGIN
                  FOR t IN SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname IN ('public', 'archive') AND c.relkind IN ('r', 'p')
                             AND (c.relname = ANY(@tables) OR EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                                                                    WHERE i.inhrelid = c.oid AND p.relname = ANY(@tables)))
                  LOOP EXECUTE format('ALTER TABLE %s OWNER TO {Maintenance}', t); END LOOP;
                END $owners$;
                """.Replace("@tables", "ARRAY['" + string.Join("','", PartitionedTables) + "']", StringComparison.Ordinal), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A login with nothing beyond it: no superuser, no CREATEDB, no CREATEROLE, no replication, no RLS bypass.</summary>
    private static async Task EnsureLoginAsync(NpgsqlConnection connection, string role, string password, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"DO $r$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role}; END IF; END $r$;", cancellationToken);
        // A password cannot be a bound parameter of ALTER ROLE: format(%L) quotes it as a literal inside the server.
        await using var format = new NpgsqlCommand($"SELECT format('ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', @password)", connection);
        format.Parameters.AddWithValue("password", password);
        var alter = (string)(await format.ExecuteScalarAsync(cancellationToken))!;
        await ExecuteAsync(connection, alter, cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
