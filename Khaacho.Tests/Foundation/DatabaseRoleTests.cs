using Khaacho.Core.Data;
using Khaacho.Tests.Hosting;
using Khaacho.Worker.Database;
using Khaacho.Worker.Maintenance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Khaacho.Tests.Foundation;

/// <summary>
/// The logins a deployment's workloads use: migrated as in production (role passwords given), into a database of the
/// test's own on the started app's server (trust authentication locally, so the passwords are not what is tested).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DatabaseRoleTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task The_app_login_reads_and_writes_rows_but_cannot_change_the_schema()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var app = new NpgsqlConnection(database.As(DatabaseRoleGrants.App));
        await app.OpenAsync();

        Assert.Equal(1, await ExecuteAsync(app, """
            INSERT INTO retailers (id, code, shop_name, phone, city, province, credit_limit, available_credit, outstanding, is_active, created_at)
            VALUES (gen_random_uuid(), 'R-ROLE', 'Role test', '9800000001', 'Kathmandu', 'Bagmati', 0, 0, 0, true, now())
            """));
        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, "DROP TABLE orders"))).SqlState);
        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, "CREATE TABLE sneaky (id int)"))).SqlState);
        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, "CREATE ROLE sneaky"))).SqlState);
    }

    [Fact]
    public async Task Neither_login_is_a_superuser_or_may_create_databases_or_roles()
    {
        await using var database = await MigratedDatabaseAsync();

        var powerful = await fixture.ScalarAsync<long>("""
            SELECT count(*) FROM pg_roles WHERE rolname IN ('khaacho_app', 'khaacho_maintenance')
              AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls OR NOT rolcanlogin)
            """);

        Assert.Equal(0, powerful);
    }

    [Fact]
    public async Task The_maintenance_login_creates_next_months_partitions_and_may_move_one_to_the_archive()
    {
        await using var database = await MigratedDatabaseAsync();
        var services = new ServiceCollection()
            .AddDbContext<KhaachoDbContext>(o => o.UseNpgsql(database.As(DatabaseRoleGrants.Maintenance)).UseSnakeCaseNamingConvention())
            .BuildServiceProvider();
        await using var _ = services;
        var later = DateTimeOffset.UtcNow.AddMonths(6);
        var maintenance = new PartitionMaintenance(services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new PartitionMaintenanceOptions()), new FakeTimeProvider(later), NullLogger<PartitionMaintenance>.Instance);

        var result = await maintenance.RunAsync(CancellationToken.None);

        Assert.True(result.Ran);
        Assert.True(result.Created > 0);
        // What archiving does to a partition, as this login: detach it and move it to the archive schema.
        await using var connection = new NpgsqlConnection(database.As(DatabaseRoleGrants.Maintenance));
        await connection.OpenAsync();
        var partition = $"orders_y{later:yyyy}m{later:MM}";
        await ExecuteAsync(connection, $"ALTER TABLE orders DETACH PARTITION {partition}");
        await ExecuteAsync(connection, $"ALTER TABLE {partition} SET SCHEMA archive");
    }

    private async Task<MigratedDatabase> MigratedDatabaseAsync()
    {
        var name = $"khaacho_roles_{Guid.NewGuid():N}";
        await fixture.ExecuteAsync($"CREATE DATABASE {name}");
        var database = new MigratedDatabase(fixture, name, (await fixture.DatabaseConnectionStringAsync())!);
        var exitCode = await DatabaseMigrator.RunAsync(["--environment", "Production", $"--ConnectionStrings:khaacho={database.As("postgres")}",
            "--Database:AppPassword=app-secret", "--Database:MaintenancePassword=maintenance-secret"]);
        Assert.Equal(0, exitCode);
        return database;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private sealed class MigratedDatabase(KhaachoAppFixture fixture, string name, string server) : IAsyncDisposable
    {
        public string As(string role) => new NpgsqlConnectionStringBuilder(server) { Database = name, Username = role, Pooling = false }.ConnectionString;

        public async ValueTask DisposeAsync() => await fixture.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }
}
