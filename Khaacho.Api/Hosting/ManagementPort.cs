namespace Khaacho.Api.Hosting;

/// <summary>Section <c>Management</c>: the port for operators' endpoints (health, metrics, the OpenAPI document).</summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>Set by the AppHost from the api's <c>management</c> endpoint; unset, only Development serves those paths.</summary>
    public int? Port { get; set; }
}

/// <summary>
/// Outside Development, the operators' paths answer only on the management port (kept inside the cluster: probes,
/// Prometheus), and the API only on the public one, so the public listener shows no metrics, no dependency health and no
/// API document. Development serves everything everywhere, as a developer expects.
/// </summary>
public static class ManagementPort
{
    public static readonly string[] Paths = ["/health", "/metrics", "/openapi", "/scalar"];

    public static IApplicationBuilder UseManagementPort(this WebApplication app)
    {
        if (app.Environment.IsDevelopment()) return app;
        var port = app.Configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>()?.Port;
        return app.Use((context, next) =>
        {
            var onManagementPort = port is { } p && context.Connection.LocalPort == p;
            var managementPath = Paths.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase));
            if (managementPath == onManagementPort) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
