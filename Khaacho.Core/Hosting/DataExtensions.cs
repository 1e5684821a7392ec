using Khaacho.Core.Data;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Khaacho.Core.Hosting;

/// <summary>Registers PostgreSQL and Redis the same way in every process, with their readiness checks.</summary>
public static class DataExtensions
{
    /// <summary>Aspire's connection names: <c>ConnectionStrings__khaacho</c> and <c>ConnectionStrings__redis</c>.</summary>
    public const string DatabaseConnectionName = "khaacho";
    public const string RedisConnectionName = "redis";

    public static TBuilder AddKhaachoDatabase<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddNpgsqlDbContext<KhaachoDbContext>(
            DatabaseConnectionName,
            settings =>
            {
                // Our own check below names the dependency "postgres" in /health/ready.
                settings.DisableHealthChecks = true;
                settings.ConnectionString = WithAutoPrepare(settings.ConnectionString);
            },
            options => options.UseSnakeCaseNamingConvention());
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresReadinessCheck>("postgres", HealthStatus.Unhealthy, [Extensions.ReadyTag], TimeSpan.FromSeconds(3));
        return builder;
    }

    /// <summary>
    /// Prepares statements that run repeatedly: every query touches partitioned tables, whose planning costs a few
    /// milliseconds each time, and the same few statements run for every order. A configured value is kept.
    /// </summary>
    private static string? WithAutoPrepare(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString)) return connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    /// <param name="whenDown">Unhealthy where Redis is essential (workers); Degraded for the api, whose outbox keeps accepting orders.</param>
    public static TBuilder AddKhaachoRedis<TBuilder>(this TBuilder builder, HealthStatus whenDown) where TBuilder : IHostApplicationBuilder
    {
        builder.AddRedisClient(RedisConnectionName, settings => settings.DisableHealthChecks = true);
        builder.Services.AddHealthChecks()
            .AddCheck<RedisReadinessCheck>("redis", whenDown, [Extensions.ReadyTag], TimeSpan.FromSeconds(3));
        return builder;
    }
}
