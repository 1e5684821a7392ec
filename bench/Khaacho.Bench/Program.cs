// The benchmark harness behind `./khaacho bench [--quick]`: starts the system in local mode (Release, seeded demo
// data, its own data directory), runs the scenarios of issue 8, stops everything, and writes
// bench/results/<timestamp>.json, a Markdown summary and latency plots. See bench/README.md.
// usage: dotnet bench/Khaacho.Bench/bin/Release/net10.0/Khaacho.Bench.dll --root <repo> [--quick]
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Khaacho.Bench;

var root = Path.GetFullPath(Option("--root") ?? Directory.GetCurrentDirectory());
var plan = args.Contains("--quick") ? BenchPlan.Quick : BenchPlan.Full;
var results = Path.Combine(root, "bench", "results");
var runDirectory = Path.Combine(root, "bench", ".run");
Directory.CreateDirectory(results);
Directory.CreateDirectory(runDirectory);
ThreadPool.SetMinThreads(64, 64); // the load generator's bursts must not wait for the thread pool to grow

using var stopping = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
var cancellationToken = stopping.Token;

var startedAt = DateTimeOffset.UtcNow;
var watch = Stopwatch.StartNew();
var demo = DemoData.Load(root);
var notes = new List<string>();
var loadBefore = LoadAverage();

try
{
    await using var stub = await StubModel.StartAsync(plan.ModelDelay, demo.StockedProductCodes);
    Log($"stub model at {stub.Endpoint}; starting the system");
    IntakeResult intake;
    PgbenchResult pgbench;
    IReadOnlyList<PipelineRun> fullSystem;
    TextOrdersResult textOrders;
    double apiIdleRssMb;
    Scenarios scenarios;
    var system = await SystemUnderTest.StartAsync(root, runDirectory, new Dictionary<string, string>
    {
        ["RateLimits__PerUserPermits"] = "1000000000",
        ["Ai__Providers__local__Endpoint"] = stub.Endpoint.ToString(),
        ["Ai__Providers__local__Model"] = StubModel.Model,
        // One trace in twenty, whole across the processes: at hundreds of orders a second, recording every span
        // makes the dashboard (on the same two cores) the busiest process; a production collector runs elsewhere.
        ["Telemetry__TraceSampleRatio"] = Environment.GetEnvironmentVariable("Telemetry__TraceSampleRatio") ?? "0.05",
    }, cancellationToken);
    try
    {
        Log($"system ready: api {system.Api}, processes {string.Join(", ", system.Processes.Select(p => $"{p.Key}={p.Value}"))}");
        apiIdleRssMb = ResourceWindow.RssMb(system.Processes["api"]);
        await using var pipeline = await Pipeline.ConnectAsync(system.PostgresConnectionString, system.RedisConnectionString);
        await pipeline.RaiseCreditAndStockAsync();
        using var http = OpenLoopLoad.CreateClient(system.Api);
        var load = new OpenLoopLoad(http, await demo.RetailerTokensAsync(http, cancellationToken));
        scenarios = new Scenarios(plan, system, pipeline, load, demo, cancellationToken);

        // Order: the limit on a quiet system first; intake last, because its highest rates overload the api on purpose
        // and an overloaded api keeps the memory it grew (scenario 3's numbers would carry scenario 1's overload).
        Log("scenario 2: pgbench, intake's transaction");
        pgbench = await PgbenchLimit.MeasureAsync(pipeline.Database, system.PostgresConnectionString, runDirectory, plan.PgbenchDuration, plan.PgbenchFixedRate, cancellationToken);
        Log($"pgbench: {JsonSerializer.Serialize(pgbench, Report.JsonOptions)}");
        Log("scenario 3: full system, items orders");
        fullSystem = await scenarios.FullSystemAsync();
        Log("scenario 4: text orders with the stub model");
        textOrders = await scenarios.TextOrdersAsync(stub);
        if (textOrders.ModelCalls == 0)
            notes.Add("The stub model got no calls: this build's ai worker calls no model, or did not take Ai:Providers:local from the AppHost (worker-ai's output is in bench/.run/logs/). Unclear texts then end as needs_clarification.");
        Log("scenario 1: intake only, workers paused");
        intake = await scenarios.IntakeAsync();
        if (scenarios.ApiExitedDuring is { } rate)
            notes.Add($"The api process exited during intake at {rate}; scenario 1 stopped there. Its console output is in bench/.run/logs/ (DCP's *_out files).");
        Log("stopping the system");
    }
    finally
    {
        await system.DisposeAsync();
    }
    Log("scenario 5: stream consume + ack, no-op handler");
    var streams = await Scenarios.StreamsAsync(root, plan.StreamMessages, cancellationToken);

    notes.Add($"Load generator, api, workers, PostgreSQL and Redis share the machine; other work on it shows up as noise. Load average (1 min) before the run: {loadBefore}, after: {LoadAverage()}.");
    var report = new BenchReport(startedAt, Math.Round(watch.Elapsed.TotalSeconds), plan.IsQuick,
        $"{Environment.ProcessorCount} cores, {Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9)} GB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.",
        Report.Goals(intake, pgbench, fullSystem, streams, apiIdleRssMb),
        intake, pgbench, fullSystem, textOrders, streams, apiIdleRssMb, notes);

    var name = startedAt.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + (plan.IsQuick ? "-quick" : "");
    var intakePlot = $"{name}-intake.svg";
    var pipelinePlot = $"{name}-pipeline.svg";
    await File.WriteAllTextAsync(Path.Combine(results, $"{name}.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions(Report.JsonOptions) { WriteIndented = true }) + "\n");
    await File.WriteAllTextAsync(Path.Combine(results, intakePlot), LatencyPlot.Svg("Intake latency (workers paused)", scenarios.IntakeHistograms));
    await File.WriteAllTextAsync(Path.Combine(results, pipelinePlot), LatencyPlot.Svg("Accepted → confirmed (database timestamps)", scenarios.PipelineHistograms));
    var summary = Report.Markdown(report, "", intakePlot, pipelinePlot);
    await File.WriteAllTextAsync(Path.Combine(results, $"{name}.md"), $"# Khaacho benchmark {name}\n\n{summary}");
    if (!plan.IsQuick)
    {
        ReadmeTable.Replace(Path.Combine(root, "bench", "README.md"), Report.Markdown(report, "results/", intakePlot, pipelinePlot));
        ReadmeTable.Replace(Path.Combine(root, "README.md"), $"Latest full run ({startedAt:yyyy-MM-dd HH:mm} UTC, [summary](bench/results/{name}.md)):\n\n{Report.GoalsTable(report)}");
    }
    Console.WriteLine(summary);
    Log($"wrote bench/results/{name}.json, {name}.md, {intakePlot}, {pipelinePlot} in {watch.Elapsed.TotalSeconds:N0} s");
    if (system.LeftBehind.Count > 0)
    {
        Log($"FAIL: processes left behind: {string.Join(", ", system.LeftBehind)}");
        return 1;
    }
    return 0;
}
catch (Exception) when (cancellationToken.IsCancellationRequested) // Ctrl+C or SIGTERM: whatever the scenario was doing gave up
{
    Log("interrupted; the system was stopped");
    return 130;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true; // finish through the normal path: stop the system, leave nothing behind
    Log($"{context.Signal}: stopping");
    stopping.Cancel();
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

static void Log(string message) => Console.Error.WriteLine($"[bench] {message}");
