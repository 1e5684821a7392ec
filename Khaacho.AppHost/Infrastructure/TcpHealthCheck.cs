using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Khaacho.AppHost.Infrastructure;

internal static class TcpHealthCheck
{
    /// <summary>
    /// Healthy once the endpoint's port accepts a TCP connection. Executables have no health of their own in
    /// Aspire; without this, WaitFor would release dependants before the server listens.
    /// </summary>
    public static IResourceBuilder<T> WithTcpHealthCheck<T>(this IResourceBuilder<T> resource, EndpointReference endpoint)
        where T : IResourceWithEndpoints
    {
        var key = $"{resource.Resource.Name}_tcp";
        resource.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(key, async cancellationToken =>
        {
            if (!endpoint.IsAllocated) return HealthCheckResult.Unhealthy("Port not allocated yet");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", endpoint.Port, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (SocketException ex)
            {
                return HealthCheckResult.Unhealthy($"127.0.0.1:{endpoint.Port} refuses connections", ex);
            }
        });
        return resource.WithHealthCheck(key);
    }
}
