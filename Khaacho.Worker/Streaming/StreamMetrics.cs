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
    public static readonly Counter<long> Poison = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.stream.poison", description: "Stream entries dead-lettered because they could not be decoded or kept crashing their consumers");
    public static readonly Counter<long> GroupRecreated = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.stream.group_recreated", description: "Consumer groups recreated because Redis had lost them");
    public static readonly Counter<long> HandedBack = KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.stream.handed_back", description: "Messages handed back to the stream at shutdown because their handler did not finish in time");
    public static readonly Histogram<double> Duration = KhaachoTelemetry.Meter.CreateHistogram<double>("khaacho.stream.processing.duration", unit: "s", description: "Time a handler took per message");

    public static KeyValuePair<string, object?> StreamTag(string stream) => new("stream", stream);
}
