using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Khaacho.AppHost;

internal static partial class ReadinessReport
{
    /// <summary>
    /// Logs one line once every resource is healthy and the run-once resources finished with exit code 0:
    /// <c>./khaacho up</c> waits for it before printing the URLs, and it states the start-up time.
    /// </summary>
    public static void ReportWhenReady(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource>? whatsAppSandbox,
        params IResourceBuilder<IResource>[] runOnce)
    {
        if (!builder.ExecutionContext.IsRunMode) return;
        var runOnceNames = runOnce.Select(r => r.Resource.Name).ToHashSet();
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, cancellationToken) =>
        {
            _ = ReportAsync(@event.Services, @event.Model, api.Resource, whatsAppSandbox?.Resource, runOnceNames, cancellationToken);
            return Task.CompletedTask;
        });
    }

    private static async Task ReportAsync(IServiceProvider services, DistributedApplicationModel model, ProjectResource api, ProjectResource? whatsAppSandbox, HashSet<string> runOnce, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Khaacho.AppHost");
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        try
        {
            var resources = model.Resources.Where(r => r is ProjectResource or ExecutableResource or ContainerResource).ToList();
            var waits = resources.Select(r => runOnce.Contains(r.Name)
                    ? WaitForSuccessfulExitAsync(notifications, r.Name, cancellationToken)
                    : notifications.WaitForResourceAsync(r.Name, e => e.Snapshot.IsHidden || e.Snapshot.HealthStatus == HealthStatus.Healthy, cancellationToken));
            await Task.WhenAll(waits);
            var seconds = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
            var count = resources.Count(r => !IsHidden(notifications, r));
            if (whatsAppSandbox is null) LogReady(logger, count, seconds, api.GetEndpoint("http").Url);
            else LogReadyWithSandbox(logger, count, seconds, api.GetEndpoint("http").Url, whatsAppSandbox.GetEndpoint("http").Url);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogNotReady(logger, ex);
        }
    }

    private static bool IsHidden(ResourceNotificationService notifications, IResource resource) =>
        notifications.TryGetCurrentState(resource.Name, out var state) && state.Snapshot.IsHidden;

    private static async Task WaitForSuccessfulExitAsync(ResourceNotificationService notifications, string name, CancellationToken cancellationToken)
    {
        var finished = await notifications.WaitForResourceAsync(name, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken);
        if (finished.Snapshot.ExitCode != 0)
            throw new DistributedApplicationException($"{name} exited with code {finished.Snapshot.ExitCode}; see its logs in the dashboard.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Khaacho is ready: {ResourceCount} resources healthy or finished {Seconds:F1} s after start. API: {ApiUrl}")]
    private static partial void LogReady(ILogger logger, int resourceCount, double seconds, string apiUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Khaacho is ready: {ResourceCount} resources healthy or finished {Seconds:F1} s after start. API: {ApiUrl} WhatsApp sandbox: {SandboxUrl}")]
    private static partial void LogReadyWithSandbox(ILogger logger, int resourceCount, double seconds, string apiUrl, string sandboxUrl);

    [LoggerMessage(Level = LogLevel.Error, Message = "Khaacho did not become ready")]
    private static partial void LogNotReady(ILogger logger, Exception exception);
}
