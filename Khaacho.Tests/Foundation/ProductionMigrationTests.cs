using Khaacho.Tests.Hosting;
using Khaacho.Worker.Database;
using Npgsql;

namespace Khaacho.Tests.Foundation;

/// <summary>The migrations job as a deployment runs it: Production, no seed settings, a database of its own.</summary>
[Collection(AppCollection.Name)]
public sealed class ProductionMigrationTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_production_migration_of_an_empty_database_creates_the_schema_and_seeds_no_demo_rows()
    {
        var server = new NpgsqlConnectionStringBuilder(await fixture.DatabaseConnectionStringAsync());
        var database = $"khaacho_production_{Guid.NewGuid():N}";
        await fixture.ExecuteAsync($"CREATE DATABASE {database}");
        try
        {
            var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, Pooling = false }.ConnectionString;

            var exitCode = await DatabaseMigrator.RunAsync(["--environment", "Production", $"--ConnectionStrings:khaacho={target}"]);

            Assert.Equal(0, exitCode);
            await using var connection = new NpgsqlConnection(target);
            await connection.OpenAsync();
            Assert.True(await CountAsync(connection, "\"__EFMigrationsHistory\"") > 0);
            foreach (var table in new[] { "products", "vendors", "vendor_products", "retailers", "users" })
                Assert.True(await CountAsync(connection, table) == 0, $"{table} has demo rows");
        }
        finally
        {
            await fixture.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
