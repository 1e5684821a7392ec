using Khaacho.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Core.Orders.Quoting;

public static class QuotingExtensions
{
    /// <summary>What ranks vendors and quotes orders: routing weights (section <c>Orders</c>), candidates, workload, quotes.</summary>
    public static IServiceCollection AddOrderQuoting(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section);
        services.AddSingleton<VendorWorkload>();
        services.AddSingleton<VendorCandidates>();
        services.AddSingleton<Quotes>();
        services.AddMetricsAtStart(Quotes.InitializeMetrics);
        return services;
    }
}
