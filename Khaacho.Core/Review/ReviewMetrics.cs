using System.Diagnostics.Metrics;
using Khaacho.Core.Orders;
using Microsoft.Extensions.Hosting;

namespace Khaacho.Core.Review;

/// <summary>The review queue's counters (<c>khaacho.review.*</c>); its gauges are the deadline job's (worker-orders).</summary>
public static class ReviewMetrics
{
    public static readonly Counter<long> Queued =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.review.queued", description: "Risk-flagged orders held for a person's review");
    public static readonly Counter<long> Decided =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.review.decided", description: "Orders approved or rejected in review, by decision");
    public static readonly Counter<long> Expired =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.review.expired", description: "Orders failed because nobody reviewed them before their deadline");

    /// <summary>The series at 0, so alerts and dashboards have data before the first review.</summary>
    public static void Initialize()
    {
        Queued.Add(0);
        foreach (var decision in Enum.GetValues<ReviewDecision>()) Decided.Add(0, Tag(decision));
        Expired.Add(0);
    }

    public static KeyValuePair<string, object?> Tag(ReviewDecision decision) => new("decision", decision.ToWire());
}
