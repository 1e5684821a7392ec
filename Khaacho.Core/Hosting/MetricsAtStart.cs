using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Khaacho.Core.Hosting;

/// <summary>
/// Creates series at 0 once the host has started, so an alert on them has data before the first event. Not at
/// registration: a measurement taken before the OpenTelemetry meter provider listens (it starts with the host) is lost.
/// </summary>
public static class MetricsAtStart
{
    public static IServiceCollection AddMetricsAtStart(this IServiceCollection services, Action initialize)
    {
        // One hosted service runs every initializer: AddHostedService registers an implementation type once only.
        services.AddSingleton(new Initializer(initialize));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, Initializers>());
        return services;
    }

    private sealed record Initializer(Action Initialize);

    private sealed class Initializers(IEnumerable<Initializer> initializers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var initializer in initializers) initializer.Initialize();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
