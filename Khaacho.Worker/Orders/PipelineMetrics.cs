using System.Diagnostics.Metrics;

namespace Khaacho.Worker.Orders;

public static class PipelineMetrics
{
    public static readonly Histogram<double> StepDuration =
        KhaachoTelemetry.Meter.CreateHistogram<double>("khaacho.pipeline.step.duration", unit: "s", description: "Time one pipeline step took");
    public static readonly Counter<long> Outcomes =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.orders.outcome", description: "Orders leaving the pipeline, by status and reason");

    public static void Outcome(string status, string reason) =>
        Outcomes.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("reason", reason));
}

/// <summary>A span and a duration sample for one pipeline step, from <see cref="Start"/> to dispose.</summary>
public readonly struct PipelineStep : IDisposable
{
    private readonly string name;
    private readonly long started;
    private readonly System.Diagnostics.Activity? activity;

    private PipelineStep(string name, Guid orderId)
    {
        this.name = name;
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        activity = KhaachoTelemetry.ActivitySource.StartActivity($"order.{name}");
        activity?.SetTag("khaacho.order_id", orderId);
    }

    public static PipelineStep Start(string name, Guid orderId) => new(name, orderId);

    public void Dispose()
    {
        PipelineMetrics.StepDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("step", name));
        activity?.Dispose();
    }
}
