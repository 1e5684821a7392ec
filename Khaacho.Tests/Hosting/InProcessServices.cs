using Aspire.Hosting.Testing;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Khaacho.Tests.Hosting;

/// <summary>
/// The services a worker component needs, wired in the test process against the started app's real PostgreSQL and
/// Redis: for running a stream consumer with a fault-injecting handler, or a job on a fake clock.
/// </summary>
public static class InProcessServices
{
    public static async Task<ServiceProvider> CreateAsync(
        KhaachoAppFixture fixture, TimeProvider? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var database = await fixture.DatabaseConnectionStringAsync();
        var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddSingleton<IConnectionMultiplexer>(redis);
        // Retries on, as Aspire's Npgsql integration sets them in the real processes; interceptors are a test's injected faults.
        services.AddDbContext<KhaachoDbContext>((provider, options) => options
            .UseNpgsql(database, npgsql => npgsql.EnableRetryOnFailure(3, TimeSpan.FromMilliseconds(200), null))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(provider.GetServices<IInterceptor>()));
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddKhaachoOutbox();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
