using System.Diagnostics;
using Khaacho.Core.Data;
using Khaacho.Core.Hosting;
using Khaacho.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Khaacho.Worker.Database;

/// <summary>The migrate-and-exit mode: waits for PostgreSQL, applies EF migrations, seeds the demo catalogue when asked (local runs only), exits 0.</summary>
internal static partial class DatabaseMigrator
{
    public const string Command = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddServiceDefaults();
        builder.AddKhaachoDatabase();
        builder.Services.AddOptions<SeedOptions>().Bind(builder.Configuration.GetSection(SeedOptions.Section));
        builder.Services.AddOptions<DatabaseRoleOptions>().Bind(builder.Configuration.GetSection(DatabaseRoleOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddScoped<CatalogSeeder>();

        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        using var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await MigrateAndSeedAsync(host.Services, logger, stopping.Token);
            return 0;
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
            return 1;
        }
        finally
        {
            // Flush telemetry before the process exits, so the dashboard shows the migration's spans and logs.
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task MigrateAndSeedAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("database.migrate");
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();

        await WaitForServerAsync(db, logger, cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        var watch = Stopwatch.StartNew();
        await db.Database.MigrateAsync(cancellationToken);
        LogMigrated(logger, pending.Count, string.Join(", ", pending), watch.ElapsedMilliseconds);
        var roles = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseRoleOptions>>().Value;
        if (await DatabaseRoleGrants.ApplyAsync(db, roles, cancellationToken)) LogRolesGranted(logger, DatabaseRoleGrants.App, DatabaseRoleGrants.Maintenance);

        var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SeedOptions>>().Value;
        if (!options.DemoData)
        {
            LogNotSeeded(logger);
            return;
        }
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Two migration runs at once (a retried Kubernetes Job) seed one after the other, never both.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7248001)", ct);
            var seeded = await scope.ServiceProvider.GetRequiredService<CatalogSeeder>()
                .SeedAsync(CatalogSeed.LoadEmbedded(), options.DemoLogins, ct);
            await transaction.CommitAsync(ct);
            return seeded;
        }, cancellationToken);
        LogSeeded(logger, result.Products, result.Vendors, result.VendorProducts, result.Retailers, result.Users, options.DemoLogins);
    }

    /// <summary>PostgreSQL may still be starting (its port open, "the database system is starting up"): retry for a while.</summary>
    private static async Task WaitForServerAsync(KhaachoDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await creator.ExistsAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (DateTime.UtcNow < deadline)
            {
                LogWaiting(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for PostgreSQL: {Reason}")]
    private static partial void LogWaiting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migrations ({Migrations}) in {ElapsedMs} ms")]
    private static partial void LogMigrated(ILogger logger, int count, string migrations, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Products} products, {Vendors} vendors, {VendorProducts} vendor offers, {Retailers} retailers, {Users} demo logins (demo logins enabled: {DemoLogins})")]
    private static partial void LogSeeded(ILogger logger, int products, int vendors, int vendorProducts, int retailers, int users, bool demoLogins);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logins {App} and {Maintenance} created or updated with their grants")]
    private static partial void LogRolesGranted(ILogger logger, string app, string maintenance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data not seeded (Seed:DemoData is off, as everywhere but a local run)")]
    private static partial void LogNotSeeded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Database migration failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
