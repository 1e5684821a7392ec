using Khaacho.Core.Ai;
using Khaacho.Core.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Khaacho.Ai;

/// <summary>Every model call, whatever its outcome: a row in <c>ai_calls</c>, the metrics, and its cost against the budget.</summary>
public sealed partial class AiCallRecorder(IServiceScopeFactory scopes, AiBudget budget, TimeProvider clock, ILogger<AiCallRecorder> logger)
{
    public async Task RecordAsync(ModelProvider provider, Guid? orderId, string outcome, ModelUsage usage, TimeSpan latency, string? error)
    {
        var cost = provider.Options.CostUsd(usage.InputTokens, usage.OutputTokens);
        AiMetrics.Call(provider.Name, outcome, latency.TotalSeconds);
        AiMetrics.Usage(provider.Name, usage, cost);
        await budget.SpendAsync(cost);
        LogCall(logger, outcome == AiCallOutcome.Success ? LogLevel.Information : LogLevel.Warning, orderId, provider.Name, provider.Model, outcome,
            usage.InputTokens, usage.OutputTokens, cost, (long)latency.TotalMilliseconds, error ?? "");
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
            var now = clock.GetUtcNow();
            db.AiCalls.Add(new AiCall
            {
                Id = Guid.CreateVersion7(now), OrderId = orderId, Provider = provider.Name, Model = provider.Model, Outcome = outcome,
                InputTokens = usage.InputTokens, OutputTokens = usage.OutputTokens, CostUsd = cost, LatencyMs = (int)latency.TotalMilliseconds,
                Error = error is { Length: > 500 } ? error[..500] : error, CreatedAt = now,
            });
            await db.SaveChangesAsync();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            // The metrics and the budget already hold the call; losing its row must not lose the parse.
            LogRowLost(logger, orderId, provider.Name, ex.Message);
        }
    }

    [LoggerMessage(Message = "AI call for order {OrderId}: {Provider} {Model} {Outcome}, {InputTokens}+{OutputTokens} tokens, {CostUsd} USD, {LatencyMs} ms {Error}")]
    private static partial void LogCall(ILogger logger, LogLevel level, Guid? orderId, string provider, string model, string outcome, int inputTokens, int outputTokens, decimal costUsd, long latencyMs, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AI call for order {OrderId} to {Provider} not recorded in ai_calls: {Reason}")]
    private static partial void LogRowLost(ILogger logger, Guid? orderId, string provider, string reason);
}
