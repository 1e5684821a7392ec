using Khaacho.Core.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Khaacho.Api.Hosting;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.AddKhaachoDatabase();
        // Intake keeps accepting through the outbox while Redis is down: degraded, not unready.
        builder.AddKhaachoRedis(HealthStatus.Degraded);
        return builder;
    }

    public static WebApplication UseApplicationPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
