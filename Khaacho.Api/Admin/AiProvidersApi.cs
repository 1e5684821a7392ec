using Khaacho.Ai;
using Khaacho.Api.Auth;
using Khaacho.Api.Hosting;
using Khaacho.Core.Ai;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Api.Admin;

/// <summary><c>GET /api/v1/admin/ai/providers</c>: each provider's configuration (never its key), circuit and today's use.</summary>
public static class AiProvidersApi
{
    /// <param name="Position">Place in the failover order, 1 first; 0 when the order leaves it out.</param>
    /// <param name="Circuits">By service (api, worker-ai): closed, half_open, open, or disabled after an authentication failure.</param>
    public sealed record ProviderReport(
        string Name, int Position, bool Configured, string Model, string Endpoint, bool HasApiKey,
        decimal InputUsdPerMillionTokens, decimal OutputUsdPerMillionTokens, string Circuit, IReadOnlyDictionary<string, string> Circuits,
        int CallsToday, int FailuresToday, long InputTokensToday, long OutputTokensToday, decimal SpendTodayUsd);

    public static IEndpointRouteBuilder MapAiProvidersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/ai/providers", ListAsync).WithTags("Admin").WithName("ListAiProviders")
            .WithSummary("AI providers: configuration, circuit state, calls, failures, tokens and spend today (UTC)")
            .RequireAuthorization(Policies.Admin).RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IReadOnlyList<ProviderReport>> ListAsync(
        KhaachoDbContext db, IOptionsMonitor<AiOptions> options, CircuitStates circuits, ProviderStatusBoard board, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var usage = await db.AiCalls.AsNoTracking().Where(c => c.CreatedAt >= today)
            .GroupBy(c => c.Provider)
            .Select(g => new
            {
                Provider = g.Key,
                Calls = g.Count(),
                Failures = g.Count(c => c.Outcome != AiCallOutcome.Success),
                Input = g.Sum(c => (long)c.InputTokens),
                Output = g.Sum(c => (long)c.OutputTokens),
                Spend = g.Sum(c => c.CostUsd),
            })
            .ToDictionaryAsync(u => u.Provider, cancellationToken);
        var current = options.CurrentValue;
        var reports = new List<ProviderReport>();
        var order = current.Order();
        foreach (var name in ProviderNames.All.OrderBy(n => order.IndexOf(n) is var i and >= 0 ? i : int.MaxValue))
        {
            var settings = current.Provider(name);
            usage.TryGetValue(name, out var used);
            reports.Add(new ProviderReport(
                name, order.IndexOf(name) + 1, settings.IsConfigured(name),
                settings.ModelFor(name), settings.EndpointFor(name).ToString(), !string.IsNullOrEmpty(settings.ApiKey),
                settings.InputUsdPerMillionTokens, settings.OutputUsdPerMillionTokens, CircuitStates.Name(circuits.State(name)), await board.ReadAsync(name),
                used?.Calls ?? 0, used?.Failures ?? 0, used?.Input ?? 0, used?.Output ?? 0, used?.Spend ?? 0));
        }
        return reports;
    }
}
