using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Core.Credit;

public static class CreditExtensions
{
    /// <summary>The khata: options (section <c>Credit</c>), staff operations, statements and the near-limit warning.</summary>
    public static IServiceCollection AddKhaachoCredit(this IServiceCollection services)
    {
        services.AddOptions<CreditOptions>().BindConfiguration(CreditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CreditWarnings>();
        services.AddScoped<CreditAccounts>();
        services.AddScoped<Statements>();
        return services;
    }
}
