using Microsoft.Extensions.Configuration;

namespace Khaacho.AppHost.Infrastructure;

internal static class InfrastructureExtensions
{
    public const string ModeKey = "Infrastructure:Mode";
    public const string DataDirectoryKey = "Infrastructure:DataDirectory";

    /// <summary>PostgreSQL (database <c>khaacho</c>) and Redis, as containers or as the machine's own executables.</summary>
    public static KhaachoInfrastructure AddKhaachoInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var mode = ResolveMode(builder);
        return mode == InfrastructureMode.Containers ? AddContainers(builder) : AddLocalExecutables(builder);
    }

    private static InfrastructureMode ResolveMode(IDistributedApplicationBuilder builder)
    {
        // A published manifest must stay deployable: it always models containers.
        if (builder.ExecutionContext.IsPublishMode) return InfrastructureMode.Containers;

        var configured = builder.Configuration[ModeKey] ?? nameof(InfrastructureMode.Auto);
        if (!Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode))
            throw new DistributedApplicationException($"{ModeKey} is '{configured}'; use auto, containers or local.");
        return mode != InfrastructureMode.Auto ? mode
            : ContainerRuntimeProbe.DaemonAnswers() ? InfrastructureMode.Containers : InfrastructureMode.Local;
    }

    private static KhaachoInfrastructure AddContainers(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres").WithDataVolume("khaacho-postgres-data");
        var database = postgres.AddDatabase("khaacho");
        var redis = builder.AddRedis("redis").WithDataVolume("khaacho-redis-data").WithDurability();
        return new KhaachoInfrastructure(database, postgres, redis,
            DatabaseRoles.ConnectionAs(builder, postgres, DatabaseRoles.App),
            DatabaseRoles.ConnectionAs(builder, postgres, DatabaseRoles.Maintenance));
    }

    private static KhaachoInfrastructure AddLocalExecutables(IDistributedApplicationBuilder builder)
    {
        var dataDirectory = Path.GetFullPath(builder.Configuration[DataDirectoryKey]
            ?? Path.Combine(builder.AppHostDirectory, "..", ".khaacho"));
        var postgres = builder.AddLocalPostgres("postgres", Path.Combine(dataDirectory, "postgres"), databaseName: "khaacho");
        var redis = builder.AddLocalRedis("redis", Path.Combine(dataDirectory, "redis"));
        // A developer's throw-away server with trust authentication: every process connects as its owner.
        return new KhaachoInfrastructure(postgres, postgres, redis, postgres, postgres);
    }
}
