namespace Khaacho.Bench;

public sealed record IntakeResult(
    IReadOnlyList<LoadRun> FixedRates, IReadOnlyList<LoadRun> Steps, LoadRun? MaxSustained,
    IReadOnlyList<ResourceUse> Resources);

/// <summary>
/// One full-system run: intake as the client saw it, and accepted-to-confirmed from the database.
/// <see cref="UnsettledWhenLoadStopped"/> is how far behind the pipeline was when the load stopped; <see cref="DrainSeconds"/>
/// how long it then took until nothing waited anywhere.
/// </summary>
public sealed record PipelineRun(
    string Kind, LoadRun Intake, Percentiles AcceptedToConfirmed, IReadOnlyDictionary<string, long> Statuses,
    long UnsettledWhenLoadStopped, bool Drained, double DrainSeconds, Backlog BacklogAtEnd, IReadOnlyList<ResourceUse> Resources);

public sealed record TextOrdersResult(PipelineRun Run, long Texts, long UnclearTexts, long ModelCalls, double SkippedModelShare);

public sealed record StreamsResult(long Messages, double BaselinePerSecond, double KhaachoPerSecond, double RatioToBaseline);

/// <summary>One goal of issue 8: target, what this run measured, and the same-run limit it is compared with.</summary>
public sealed record GoalResult(string Goal, string Target, double? Measured, string Unit, bool? Met, string? Limit, double? LimitValue, double? RatioToLimit);

public sealed record BenchReport(
    DateTimeOffset StartedAt, double DurationSeconds, bool Quick, string Machine,
    IReadOnlyList<GoalResult> Goals,
    IntakeResult Intake, PgbenchResult Pgbench, IReadOnlyList<PipelineRun> FullSystem, TextOrdersResult TextOrders,
    StreamsResult Streams, double ApiIdleRssMb, IReadOnlyList<string> Notes);
