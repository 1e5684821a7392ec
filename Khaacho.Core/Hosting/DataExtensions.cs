using Khaacho.Core.Data;
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
            // Our own check below names the dependency "postgres" in /health/ready.
            settings => settings.DisableHealthChecks = true,
            options => options.UseSnakeCaseNamingConvention());
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresReadinessCheck>("postgres", HealthStatus.Unhealthy, [Extensions.ReadyTag], TimeSpan.FromSeconds(3));
        return builder;
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
