using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Khaacho.Ai;

public static class AiServiceExtensions
{
    /// <summary>The order-text parse chain (<see cref="OrderTextParser"/>) and everything behind it. Needs PostgreSQL and Redis registered.</summary>
    public static IServiceCollection AddOrderTextParsing(this IServiceCollection services)
    {
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ParserCatalog>();
        services.AddSingleton<CircuitStates>();
        services.AddSingleton<ProviderStatusBoard>();
        services.AddSingleton<ModelProviders>();
        services.AddSingleton<ParseCache>();
        services.AddSingleton<AiBudget>();
        services.AddSingleton<AiCallRecorder>();
        services.AddSingleton<OrderTextParser>();
        services.AddHostedService<AiGauges>();
        services.AddTransient<ModelHttpObserver>();
        foreach (var provider in ProviderNames.All) ModelHttpClients.Add(services, provider);
        return services;
    }
}
