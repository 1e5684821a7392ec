using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace Khaacho.Ai;

/// <summary>
/// Where each process (api, worker-ai) posts its providers' circuit state and disabling, so the admin report shows
/// every process's view, not only the api's own. A Redis hash per provider: field = service, value = state.
/// </summary>
public sealed partial class ProviderStatusBoard(IConnectionMultiplexer redis, IConfiguration configuration, ILogger<ProviderStatusBoard> logger)
{
    public const string Disabled = "disabled";
    private readonly string service = configuration["OTEL_SERVICE_NAME"] ?? AppDomain.CurrentDomain.FriendlyName;

    public static RedisKey Key(string provider) => $"khaacho:ai:circuits:{provider}";

    public ValueTask CircuitChangedAsync(string provider, CircuitState state) => PostAsync(provider, CircuitStates.Name(state));

    public ValueTask DisabledAsync(string provider) => PostAsync(provider, Disabled);

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string provider)
    {
        try
        {
            var entries = await redis.GetDatabase().HashGetAllAsync(Key(provider));
            return entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        }
        catch (RedisException)
        {
            return new Dictionary<string, string>();
        }
    }

    private async ValueTask PostAsync(string provider, string state)
    {
        try
        {
            await redis.GetDatabase().HashSetAsync(Key(provider), service, state);
        }
        catch (RedisException ex)
        {
            // The report is informative; the circuit itself lives in this process and works without Redis.
            LogPostFailed(logger, provider, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not post AI provider {Provider}'s state to Redis: {Reason}")]
    private static partial void LogPostFailed(ILogger logger, string provider, string reason);
}
