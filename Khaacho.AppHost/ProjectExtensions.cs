using Microsoft.Extensions.Configuration;
using Khaacho.AppHost.Infrastructure;

namespace Khaacho.AppHost;

internal static class ProjectExtensions
{
    public static IResourceBuilder<ProjectResource> AddWorker(this IDistributedApplicationBuilder builder, string workerType) =>
        // No launch profile: its fixed port would collide between the worker types.
        builder.AddProject<Projects.Khaacho_Worker>(WorkerTypes.ResourceName(workerType), options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint()
            .WithHostEnvironment()
            .WithEnvironment("Worker__Type", workerType)
            .WithHttpHealthCheck("/health/ready");

    /// <param name="login">Which of the infrastructure's connections (owner, app, maintenance) the project uses, as <c>ConnectionStrings__khaacho</c>.</param>
    public static IResourceBuilder<ProjectResource> WithDatabase(
        this IResourceBuilder<ProjectResource> project, KhaachoInfrastructure infrastructure, Func<KhaachoInfrastructure, IResourceBuilder<IResourceWithConnectionString>> login) =>
        project.WithReference(login(infrastructure), "khaacho").WaitFor(infrastructure.DatabaseServer);

    public static IResourceBuilder<ProjectResource> WithRedis(this IResourceBuilder<ProjectResource> project, KhaachoInfrastructure infrastructure) =>
        project.WithReference(infrastructure.Redis, "redis").WaitFor(infrastructure.Redis);

    /// <summary>The demo catalogue, vendors, retailers and logins exist only where the AppHost runs the system itself, never in a published manifest.</summary>
    public static IResourceBuilder<ProjectResource> WithDemoSeed(this IResourceBuilder<ProjectResource> migrations)
    {
        migrations.WithHostEnvironment();
        if (migrations.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            migrations.WithEnvironment("Seed__DemoData", "true").WithEnvironment("Seed__DemoLogins", "true");
        }
        return migrations;
    }

    /// <summary>
    /// The api's second listener for health, metrics and the OpenAPI document (outside Development the public one serves
    /// none of them); the api learns which port it is from <c>Management__Port</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithManagementEndpoint(this IResourceBuilder<ProjectResource> project)
    {
        project.WithHttpEndpoint(name: ManagementEndpoint);
        return project.WithEnvironment("Management__Port", project.GetEndpoint(ManagementEndpoint).Property(EndpointProperty.TargetPort));
    }

    public const string ManagementEndpoint = "management";

    /// <summary>Projects started without a launch profile get the AppHost's environment (Development locally); a manifest names none.</summary>
    private static IResourceBuilder<ProjectResource> WithHostEnvironment(this IResourceBuilder<ProjectResource> project) =>
        project.ApplicationBuilder.ExecutionContext.IsRunMode
            ? project.WithEnvironment("DOTNET_ENVIRONMENT", project.ApplicationBuilder.Environment.EnvironmentName)
            : project;

    /// <summary>
    /// Passes the AppHost's own settings under <paramref name="section"/> (e.g. <c>RateLimits__PerUserPermits</c> set
    /// for <c>./khaacho up</c>) to the project, so a run can be tuned without editing its appsettings.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConfigurationSection(this IResourceBuilder<ProjectResource> project, string section)
    {
        // A manifest must not depend on whoever happened to generate it.
        if (!project.ApplicationBuilder.ExecutionContext.IsRunMode) return project;
        // A section named like the api's own ("RateLimits") keeps its name; a "Workers:<type>" section is unwrapped.
        var unwrap = section.Contains(':', StringComparison.Ordinal);
        foreach (var setting in project.ApplicationBuilder.Configuration.GetSection(section).AsEnumerable(makePathsRelative: unwrap))
        {
            if (setting.Value is not null) project.WithEnvironment(setting.Key.Replace(":", "__"), setting.Value);
        }
        return project;
    }
}
