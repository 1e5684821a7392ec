using System.Diagnostics.Metrics;

namespace Khaacho.Worker.Streaming;

/// <summary>Per-stream counters and the processing-time histogram; the gauges live in <see cref="StreamBacklogMonitor"/>.</summary>
public static class StreamMetrics
{
    public static readonly Counter<long> Consumed = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.stream.consumed", description: "Stream messages delivered to a handler");
    public static readonly Counter<long> Acked = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.stream.acked", description: "Stream messages acknowledged after their effect committed");
    public static readonly Counter<long> Retried = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.stream.retried", description: "Stream messages scheduled for another attempt");
    public static readonly Counter<long> DeadLettered = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.stream.dead_lettered", description: "Stream messages moved to the dead-letter stream");
    public static readonly Counter<long> Claimed = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.stream.claimed", description: "Pending messages claimed from a consumer that stopped");
    public static readonly Histogram<double> Duration = KhaachoTelemetry.Meter.CreateHistogram<double>("khaacho.stream.processing.duration", unit: "s", description: "Time a handler took per message");

    public static KeyValuePair<string, object?> StreamTag(string stream) => new("stream", stream);
}
