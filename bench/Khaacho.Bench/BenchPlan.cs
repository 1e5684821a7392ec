namespace Khaacho.Bench;

/// <summary>Rates and durations of every scenario; <see cref="Quick"/> only shows the harness works (CI smoke).</summary>
public sealed record BenchPlan(
    bool IsQuick,
    int[] IntakeRates, TimeSpan IntakeDuration, TimeSpan IntakeWarmup, TimeSpan StepDuration, int MaxSteps, TimeSpan Settle,
    TimeSpan PgbenchDuration, int PgbenchFixedRate,
    int[] FullSystemRates, TimeSpan FullSystemDuration, TimeSpan DrainTimeout,
    int TextRate, TimeSpan TextDuration, int UnclearEvery, TimeSpan ModelDelay,
    int[] WhatsAppRates, TimeSpan WhatsAppDuration,
    int StreamMessages)
{
    /// <summary>The scenarios <c>--only</c> can name, in the order they run.</summary>
    public static readonly string[] ScenarioNames = ["pgbench", "pipeline", "text", "whatsapp", "intake", "streams"];

    /// <summary>Intake's step search: the highest rate with p99 under this and (almost) no failures is "sustained".</summary>
    public static readonly TimeSpan SustainedP99 = TimeSpan.FromMilliseconds(100);

    public static BenchPlan Full => new(
        IsQuick: false,
        IntakeRates: [100, 500, 1000, 2000], IntakeDuration: TimeSpan.FromSeconds(15), IntakeWarmup: TimeSpan.FromSeconds(5),
        StepDuration: TimeSpan.FromSeconds(10), MaxSteps: 8, Settle: TimeSpan.FromSeconds(15),
        PgbenchDuration: TimeSpan.FromSeconds(15), PgbenchFixedRate: 500,
        FullSystemRates: [100, 300], FullSystemDuration: TimeSpan.FromSeconds(60), DrainTimeout: TimeSpan.FromMinutes(3),
        TextRate: 10, TextDuration: TimeSpan.FromSeconds(30), UnclearEvery: 4, ModelDelay: TimeSpan.FromMilliseconds(800),
        WhatsAppRates: [20, 200], WhatsAppDuration: TimeSpan.FromSeconds(30),
        StreamMessages: 200_000);

    public static BenchPlan Quick => new(
        IsQuick: true,
        IntakeRates: [50, 100], IntakeDuration: TimeSpan.FromSeconds(3), IntakeWarmup: TimeSpan.FromSeconds(1),
        StepDuration: TimeSpan.FromSeconds(3), MaxSteps: 1, Settle: TimeSpan.FromSeconds(1),
        PgbenchDuration: TimeSpan.FromSeconds(2), PgbenchFixedRate: 100,
        FullSystemRates: [20], FullSystemDuration: TimeSpan.FromSeconds(5), DrainTimeout: TimeSpan.FromSeconds(45),
        TextRate: 2, TextDuration: TimeSpan.FromSeconds(4), UnclearEvery: 4, ModelDelay: TimeSpan.FromMilliseconds(800),
        WhatsAppRates: [5, 20], WhatsAppDuration: TimeSpan.FromSeconds(4),
        StreamMessages: 20_000);
}
