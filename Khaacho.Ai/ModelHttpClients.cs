using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Khaacho.Ai;

/// <summary>
/// One named HttpClient per provider, with the only retry layer (the SDKs' own retries are off): a total timeout,
/// retries with backoff on transient failures (5xx, 408, 429 honouring Retry-After, timeouts), a circuit breaker and
/// an attempt timeout. <c>HttpClient.Timeout</c> is infinite so these timeouts rule.
/// </summary>
public static partial class ModelHttpClients
{
    public static string Name(string provider) => $"ai-{provider}";

    public static void Add(IServiceCollection services, string provider)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental, and the only way to drop a default handler for one client.
        var client = services.AddHttpClient(Name(provider), http => http.Timeout = Timeout.InfiniteTimeSpan)
            // The service defaults give every client the standard handler, whose 10 s attempt timeout is wrong for a model.
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddResilienceHandler(Name(provider), (pipeline, context) =>
            {
                context.EnableReloads<AiOptions>();
                var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<AiOptions>>().CurrentValue.Provider(provider).Resilience;
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ModelHttpClients));
                var board = context.ServiceProvider.GetRequiredService<ProviderStatusBoard>();
                var state = new CircuitBreakerStateProvider();
                context.ServiceProvider.GetRequiredService<CircuitStates>().Track(provider, state);

                pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });
                if (options.MaxRetryAttempts > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetryAttempts,
                        Delay = options.RetryBaseDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                    });
                }
                pipeline
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = options.FailureRatio,
                        MinimumThroughput = options.MinimumThroughput,
                        SamplingDuration = options.SamplingDuration,
                        BreakDuration = options.BreakDuration,
                        StateProvider = state,
                        OnOpened = args =>
                        {
                            LogCircuitOpened(logger, provider, args.BreakDuration);
                            return board.CircuitChangedAsync(provider, CircuitState.Open);
                        },
                        OnHalfOpened = _ => board.CircuitChangedAsync(provider, CircuitState.HalfOpen),
                        OnClosed = _ =>
                        {
                            LogCircuitClosed(logger, provider);
                            return board.CircuitChangedAsync(provider, CircuitState.Closed);
                        },
                    })
                    .AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
            });
        // Added after the resilience handler, so it is inside it and sees every attempt.
        client.AddHttpMessageHandler<ModelHttpObserver>();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AI provider {Provider}: circuit opened for {BreakDuration}; parses skip it until then")]
    private static partial void LogCircuitOpened(ILogger logger, string provider, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "AI provider {Provider}: circuit closed")]
    private static partial void LogCircuitClosed(ILogger logger, string provider);
}
