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

/// <summary>
/// One rate of scenario 7: the webhook as Meta sees it (POST→200), and each stored message's read-back as the Graph API
/// stub received it (timed from the message's scheduled send). <see cref="StoredToSent"/> is the same from the
/// database's own timestamps: the inbox row's <c>received_at</c> to the read-back notification's <c>sent_at</c>.
/// <see cref="Replies"/>: every notification written during the run, by kind (only read_back when all went as meant).
/// </summary>
public sealed record WhatsAppRun(
    LoadRun Webhook, long Stored, Percentiles InboundToReadBack, long ReadBacksReceived, long ReadBacksRepeated,
    Percentiles StoredToSent, long ReadBacksSentInDatabase, IReadOnlyDictionary<string, long> Replies,
    long UnhandledWhenLoadStopped, bool Drained, double DrainSeconds, long InboxUnhandledAtEnd, Backlog BacklogAtEnd,
    IReadOnlyList<ResourceUse> Resources);

/// <summary>Scenario 7 with its limit: pgbench of the webhook's own transaction at the highest rate.</summary>
public sealed record WhatsAppResult(IReadOnlyList<WhatsAppRun> Runs, int PgbenchClients, int PgbenchRatePerSecond, Percentiles PgbenchWebhookTransaction);

public sealed record StreamsResult(long Messages, double BaselinePerSecond, double KhaachoPerSecond, double RatioToBaseline);

/// <summary>One goal of issue 8: target, what this run measured, and the same-run limit it is compared with.</summary>
public sealed record GoalResult(string Goal, string Target, double? Measured, string Unit, bool? Met, string? Limit, double? LimitValue, double? RatioToLimit);

/// <summary>A run's results; a scenario left out with <c>--only</c> is null.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt, double DurationSeconds, bool Quick, IReadOnlyList<string> Scenarios, string Machine,
    IReadOnlyList<GoalResult> Goals,
    IntakeResult? Intake, PgbenchResult? Pgbench, IReadOnlyList<PipelineRun>? FullSystem, TextOrdersResult? TextOrders,
    WhatsAppResult? WhatsApp, StreamsResult? Streams, double ApiIdleRssMb, IReadOnlyList<string> Notes);
