namespace Khaacho.AppHost;

internal static class TraceSampling
{
    /// <summary>
    /// <c>Telemetry:TraceSampleRatio</c> (0–1; unset keeps Aspire's <c>always_on</c>): the share of traces every project
    /// records, decided at the trace's root and followed downstream (<c>parentbased_traceidratio</c>), so a sampled order
    /// keeps its whole trace across api and workers. For load runs, where the dashboard would otherwise ingest a span per
    /// database command on the same cores. Run mode only: a deployment sets its own sampler.
    /// </summary>
    public static void UseTraceSampling(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode || builder.Configuration["Telemetry:TraceSampleRatio"] is not { Length: > 0 } ratio) return;
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
                .WithEnvironment("OTEL_TRACES_SAMPLER_ARG", ratio);
        }
    }
}
