using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Khaacho.Tests.Hosting;
using Npgsql;

namespace Khaacho.Tests.Foundation;

[Collection(AppCollection.Name)]
public sealed class SeedTests(KhaachoAppFixture fixture)
{
    /// <summary>The seed's rows: other tests of the collection add retailers and logins of their own, which are not the seed's.</summary>
    private static readonly Dictionary<string, string> Seeded = new()
    {
        ["products"] = "SELECT count(*) FROM products",
        ["vendors"] = "SELECT count(*) FROM vendors",
        ["vendor_products"] = "SELECT count(*) FROM vendor_products",
        ["retailers"] = "SELECT count(*) FROM retailers WHERE code ~ '^R[0-9]{3}$'",
        ["users"] = """
            SELECT count(*) FROM users u
            WHERE u.role IN ('admin', 'operator') OR u.vendor_id IS NOT NULL
               OR u.retailer_id IN (SELECT id FROM retailers WHERE code ~ '^R[0-9]{3}$')
            """,
    };

    [Fact]
    public async Task Demo_catalogue_and_logins_are_seeded()
    {
        var counts = await CountRowsAsync();

        Assert.Equal(43, counts["products"]);
        Assert.Equal(5, counts["vendors"]);
        Assert.Equal(10, counts["retailers"]);
        // Every retailer and vendor by phone, plus the admin and the operator.
        Assert.Equal(17, counts["users"]);
    }

    [Fact]
    public async Task Running_the_migrations_again_duplicates_nothing()
    {
        var before = await CountRowsAsync();
        var firstRun = fixture.App.ResourceNotifications.TryGetCurrentState("migrations", out var state)
            ? state.Snapshot.StartTimeStamp : null;

        await fixture.App.ResourceCommands.ExecuteCommandAsync("migrations", KnownResourceCommands.StartCommand);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var secondRun = await fixture.App.ResourceNotifications.WaitForResourceAsync("migrations",
            e => e.Snapshot.StartTimeStamp > firstRun && e.Snapshot.State?.Text == KnownResourceStates.Finished, timeout.Token);

        Assert.Equal(0, secondRun.Snapshot.ExitCode);
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task Order_tables_are_partitioned_by_month_with_partitions_three_months_ahead_and_a_default()
    {
        var now = DateTimeOffset.UtcNow;
        var expected = new[] { "orders", "order_items", "order_status_history" }
            .SelectMany(t => Enumerable.Range(0, 4).Select(i => $"{t}_y{now.AddMonths(i):yyyy}m{now.AddMonths(i):MM}").Append($"{t}_default"))
            .Order().ToList();

        var attached = await fixture.ColumnAsync<string>("""
            SELECT child.relname::text FROM pg_inherits JOIN pg_class parent ON parent.oid = inhparent JOIN pg_class child ON child.oid = inhrelid
            WHERE parent.relname IN ('orders', 'order_items', 'order_status_history') AND child.relname = ANY(@names)
            """, ("names", expected.ToArray()));

        Assert.Equal(expected, attached.Order());
    }

    [Fact]
    public async Task Orders_created_in_two_months_land_in_two_monthly_partitions()
    {
        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        var thisMonth = DateTimeOffset.UtcNow;
        var nextMonth = thisMonth.AddMonths(1);
        Guid[] ids = [Guid.CreateVersion7(thisMonth), Guid.CreateVersion7(nextMonth)];
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO orders (id, created_at, retailer_id, status, source, subtotal, vat, total, currency, priority, updated_at, redrives, version)
            SELECT unnest(@ids), unnest(@createdAt), (SELECT id FROM retailers ORDER BY code LIMIT 1),
                   'received', 'items', 0, 0, 0, 'NPR', 'normal', now(), 0, 0
            """, connection))
        {
            insert.Parameters.AddWithValue("ids", ids);
            insert.Parameters.AddWithValue("createdAt", new[] { thisMonth, nextMonth });
            await insert.ExecuteNonQueryAsync();
        }

        await using var where = new NpgsqlCommand("SELECT tableoid::regclass::text FROM orders WHERE id = ANY(@ids) ORDER BY created_at", connection);
        where.Parameters.AddWithValue("ids", ids);
        var partitions = new List<string>();
        await using (var reader = await where.ExecuteReaderAsync())
            while (await reader.ReadAsync()) partitions.Add(reader.GetString(0));

        Assert.Equal([$"orders_y{thisMonth:yyyy}m{thisMonth:MM}", $"orders_y{nextMonth:yyyy}m{nextMonth:MM}"], partitions);
    }

    private async Task<Dictionary<string, long>> CountRowsAsync()
    {
        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        var counts = new Dictionary<string, long>();
        foreach (var (table, sql) in Seeded)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            counts[table] = (long)(await command.ExecuteScalarAsync())!;
        }
        return counts;
    }
}
