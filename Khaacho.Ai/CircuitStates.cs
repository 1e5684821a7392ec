using System.Collections.Concurrent;
using Polly.CircuitBreaker;

namespace Khaacho.Ai;

/// <summary>Each provider's circuit breaker, as its resilience pipeline was last built: read before a call and by the metrics.</summary>
public sealed class CircuitStates
{
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> providers = new(StringComparer.OrdinalIgnoreCase);

    internal void Track(string provider, CircuitBreakerStateProvider state) => providers[provider] = state;

    public CircuitState State(string provider) =>
        providers.TryGetValue(provider, out var state) ? state.CircuitState : CircuitState.Closed;

    /// <summary>0 closed, 1 half-open, 2 open (isolated counts as open).</summary>
    public static int Code(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 1,
        _ => 2,
    };

    public static string Name(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.HalfOpen => "half_open",
        _ => "open",
    };
}
