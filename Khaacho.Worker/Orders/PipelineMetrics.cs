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
