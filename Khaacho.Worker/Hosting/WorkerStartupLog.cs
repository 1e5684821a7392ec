using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Hosting;

/// <summary>Says once, at start, which worker type this process is, so a log reader can tell replicas of different types apart.</summary>
internal sealed partial class WorkerStartupLog(IOptions<WorkerOptions> options, ILogger<WorkerStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, options.Value.Type);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerType} started")]
    private static partial void LogStarted(ILogger logger, string workerType);
}
