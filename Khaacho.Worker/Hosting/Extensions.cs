using Khaacho.Core.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Khaacho.Worker.Hosting;

public static class Extensions
{
    public static WebApplicationBuilder AddWorkerServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>()
            .Bind(builder.Configuration.GetSection(WorkerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddKhaachoDatabase();
        // A worker without Redis cannot consume its stream: not ready.
        builder.AddKhaachoRedis(HealthStatus.Unhealthy);
        builder.Services.AddHostedService<WorkerStartupLog>();
        return builder;
    }
}
