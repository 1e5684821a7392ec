using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Khaacho.Ai;

/// <summary>
/// The configured providers in failover order, rebuilt when their configuration changes. A provider that failed
/// authentication stays disabled until its configuration (key, endpoint or model) changes.
/// </summary>
public sealed partial class ModelProviders(IOptionsMonitor<AiOptions> options, IHttpClientFactory httpClients, ProviderStatusBoard board, ILogger<ModelProviders> logger)
{
    private readonly ConcurrentDictionary<string, ModelProvider> built = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> disabledFingerprints = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ModelProvider> Configured()
    {
        var current = options.CurrentValue;
        var providers = new List<ModelProvider>();
        foreach (var name in current.Order())
        {
            var settings = current.Provider(name);
            if (!settings.IsConfigured(name)) continue;
            var fingerprint = ModelProvider.FingerprintOf(name, settings);
            providers.Add(built.AddOrUpdate(name,
                n => new ModelProvider(n, settings, httpClients.CreateClient(ModelHttpClients.Name(n))),
                (n, existing) => existing.Fingerprint == fingerprint ? existing : new ModelProvider(n, settings, httpClients.CreateClient(ModelHttpClients.Name(n)))));
        }
        return providers;
    }

    public bool IsDisabled(ModelProvider provider) =>
        disabledFingerprints.TryGetValue(provider.Name, out var fingerprint) && fingerprint == provider.Fingerprint;

    public async Task DisableAsync(ModelProvider provider, int status)
    {
        disabledFingerprints[provider.Name] = provider.Fingerprint;
        LogDisabled(logger, provider.Name, status);
        await board.DisabledAsync(provider.Name);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "AI provider {Provider} refused our credentials (HTTP {Status}): disabled until its configuration changes")]
    private static partial void LogDisabled(ILogger logger, string provider, int status);
}
