namespace Khaacho.AppHost.Infrastructure;

/// <summary>
/// The least-privilege PostgreSQL logins the deployed workloads use instead of the server's superuser. The migrations
/// job (which connects as the owner) creates them and their grants from these passwords; each is a secret parameter
/// of the manifest, so a deployment supplies its own.
/// </summary>
internal static class DatabaseRoles
{
    public const string App = "khaacho_app";
    public const string Maintenance = "khaacho_maintenance";

    private static string ParameterName(string role) => role.Replace('_', '-') + "-password";

    public static IResourceBuilder<IResourceWithConnectionString> ConnectionAs(
        IDistributedApplicationBuilder builder, IResourceBuilder<PostgresServerResource> postgres, string role)
    {
        var password = Password(builder, role);
        var endpoint = postgres.Resource.PrimaryEndpoint;
        return builder.AddConnectionString(role.Replace('_', '-'), ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={role};Password={password};Database=khaacho"));
    }

    /// <summary>Gives the migrations job the roles' passwords (only where the roles exist: a published manifest).</summary>
    public static IResourceBuilder<ProjectResource> WithDatabaseRoles(this IResourceBuilder<ProjectResource> migrations)
    {
        var builder = migrations.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode) return migrations;
        return migrations
            .WithEnvironment("Database__AppPassword", Password(builder, App))
            .WithEnvironment("Database__MaintenancePassword", Password(builder, Maintenance));
    }

    private static IResourceBuilder<ParameterResource> Password(IDistributedApplicationBuilder builder, string role) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == ParameterName(role)) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(ParameterName(role), secret: true);
}
