using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace Khaacho.Ai;

public static class AiMetrics
{
    public static readonly Counter<long> Calls =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.ai.calls", description: "Model calls by provider and outcome");
    public static readonly Counter<long> Tokens =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.ai.tokens", description: "Model tokens by provider and direction (input, output)");
    public static readonly Counter<double> CostUsd =
        KhaachoTelemetry.Meter.CreateCounter<double>("khaacho.ai.cost.usd", description: "Model spend in US dollars, by provider");
    public static readonly Histogram<double> CallDuration =
        KhaachoTelemetry.Meter.CreateHistogram<double>("khaacho.ai.call.duration", unit: "s", description: "Model call latency by provider and outcome, retries included");
    public static readonly Counter<long> Parses =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.ai.parses", description: "Order texts parsed, by who answered (offline, cache, a provider, fallback)");
    public static readonly Counter<long> BudgetExhausted =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.ai.budget.exhausted", description: "Parses that would have called a model but the daily budget was spent");

    public static void Call(string provider, string outcome, double seconds)
    {
        var tags = new TagList { { "provider", provider }, { "outcome", outcome } };
        Calls.Add(1, tags);
        CallDuration.Record(seconds, tags);
    }

    public static void Usage(string provider, ModelUsage usage, decimal cost)
    {
        Tokens.Add(usage.InputTokens, new TagList { { "provider", provider }, { "direction", "input" } });
        Tokens.Add(usage.OutputTokens, new TagList { { "provider", provider }, { "direction", "output" } });
        CostUsd.Add((double)cost, new TagList { { "provider", provider } });
    }

    public static void Parsed(string source) => Parses.Add(1, new TagList { { "source", source } });
}
