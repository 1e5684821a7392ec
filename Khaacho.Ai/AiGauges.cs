using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Khaacho.Ai;

/// <summary>The AI gauges: circuit state per configured provider (0 closed, 1 half-open, 2 open) and today's spend against the budget.</summary>
public sealed class AiGauges : IHostedService
{
    public AiGauges(CircuitStates circuits, AiBudget budget, IOptionsMonitor<AiOptions> options)
    {
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.ai.circuit.state", () =>
            ProviderNames.All.Where(p => options.CurrentValue.Provider(p).IsConfigured(p))
                .Select(p => new Measurement<int>(CircuitStates.Code(circuits.State(p)), new TagList { { "provider", p } })),
            description: "Circuit breaker state per AI provider: 0 closed, 1 half-open, 2 open");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.ai.budget.spent.usd", () => (double)budget.LastSeenSpendUsd,
            description: "Model spend today (UTC) as this process last saw it, in US dollars");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.ai.budget.limit.usd", () => (double)budget.LimitUsd,
            description: "The daily model budget in US dollars");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
