// The benchmark harness behind `./khaacho bench [--quick] [--only <scenarios>]`: starts the system in local mode (Release,
// seeded demo data, its own data directory), runs the scenarios of issues 8 and 14, stops everything, and writes
// bench/results/<timestamp>.json, a Markdown summary and latency plots. See bench/README.md.
// usage: dotnet bench/Khaacho.Bench/bin/Release/net10.0/Khaacho.Bench.dll --root <repo> [--quick] [--only whatsapp,...]
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Khaacho.Bench;

var root = Path.GetFullPath(Option("--root") ?? Directory.GetCurrentDirectory());
var plan = args.Contains("--quick") ? BenchPlan.Quick : BenchPlan.Full;
var only = Option("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? BenchPlan.ScenarioNames;
if (only.Except(BenchPlan.ScenarioNames).ToList() is { Count: > 0 } unknown)
{
    Log($"unknown scenario {string.Join(", ", unknown)}; --only takes {string.Join(", ", BenchPlan.ScenarioNames)} (comma-separated)");
    return 2;
}
var everything = only.Length == BenchPlan.ScenarioNames.Length && BenchPlan.ScenarioNames.All(only.Contains);
bool Runs(string scenario) => only.Contains(scenario);
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
    IntakeResult? intake = null;
    PgbenchResult? pgbench = null;
    IReadOnlyList<PipelineRun>? fullSystem = null;
    TextOrdersResult? textOrders = null;
    WhatsAppResult? whatsApp = null;
    double apiIdleRssMb = 0;
    var plots = new List<(string Title, string File, List<(string Label, HdrHistogram.HistogramBase Histogram)> Lines)>();
    IReadOnlyList<string> leftBehind = [];
    if (only.Any(s => s != "streams"))
    {
        await using var stub = await StubModel.StartAsync(plan.ModelDelay, demo.StockedProductCodes);
        // Meta's side: with WhatsApp:GraphApiUrl set the AppHost runs no sandbox and takes these secrets, so the
        // harness can sign deliveries; the sandbox's page and status callbacks stay out of the measurement.
        await using var graph = await StubGraphApi.StartAsync();
        Log($"stub model at {stub.Endpoint}, stub Graph API at {graph.GraphApiUrl}; starting the system");
        var system = await SystemUnderTest.StartAsync(root, runDirectory, new Dictionary<string, string>(graph.Settings)
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
            var scenarios = new Scenarios(plan, system, pipeline, load, demo, cancellationToken);
            List<(string Label, HdrHistogram.HistogramBase Histogram)>? whatsAppHistograms = null;

            // Order: the limit on a quiet system first; intake last, because its highest rates overload the api on purpose
            // and an overloaded api keeps the memory it grew (scenario 3's numbers would carry scenario 1's overload).
            if (Runs("pgbench"))
            {
                Log("scenario 2: pgbench, intake's transaction");
                pgbench = await PgbenchLimit.MeasureAsync(pipeline.Database, system.PostgresConnectionString, runDirectory, plan.PgbenchDuration, plan.PgbenchFixedRate, cancellationToken);
                Log($"pgbench: {JsonSerializer.Serialize(pgbench, Report.JsonOptions)}");
            }
            if (Runs("pipeline"))
            {
                Log("scenario 3: full system, items orders");
                fullSystem = await scenarios.FullSystemAsync();
            }
            if (Runs("text"))
            {
                Log("scenario 4: text orders with the stub model");
                textOrders = await scenarios.TextOrdersAsync(stub);
                if (textOrders.ModelCalls == 0)
                    notes.Add("The stub model got no calls: this build's ai worker calls no model, or did not take Ai:Providers:local from the AppHost (worker-ai's output is in bench/.run/logs/). Unclear texts then end as needs_clarification.");
            }
            if (Runs("whatsapp"))
            {
                Log("scenario 7: WhatsApp webhook and read-backs");
                var chat = new WhatsAppScenario(plan, system, pipeline, load, graph, demo, cancellationToken);
                whatsApp = await chat.RunAsync(runDirectory);
                whatsAppHistograms = chat.Histograms;
            }
            if (Runs("intake"))
            {
                Log("scenario 1: intake only, workers paused");
                intake = await scenarios.IntakeAsync();
                if (scenarios.ApiExitedDuring is { } rate)
                    notes.Add($"The api process exited during intake at {rate}; scenario 1 stopped there. Its console output is in bench/.run/logs/ (DCP's *_out files).");
            }
            if (intake is not null) plots.Add(("Intake latency (workers paused)", "intake", scenarios.IntakeHistograms));
            if (fullSystem is not null || textOrders is not null) plots.Add(("Accepted → confirmed (database timestamps)", "pipeline", scenarios.PipelineHistograms));
            if (whatsAppHistograms is not null) plots.Add(("WhatsApp: webhook POST → 200, inbound message → read-back at the Graph API", "whatsapp", whatsAppHistograms));
            Log("stopping the system");
        }
        finally
        {
            await system.DisposeAsync();
            leftBehind = system.LeftBehind;
        }
    }
    StreamsResult? streams = null;
    if (Runs("streams"))
    {
        Log("scenario 5: stream consume + ack, no-op handler");
        streams = await Scenarios.StreamsAsync(root, plan.StreamMessages, cancellationToken);
    }

    notes.Add($"Load generator, api, workers, PostgreSQL and Redis share the machine; other work on it shows up as noise. Load average (1 min) before the run: {loadBefore}, after: {LoadAverage()}.");
    var report = new BenchReport(startedAt, Math.Round(watch.Elapsed.TotalSeconds), plan.IsQuick, only,
        $"{Environment.ProcessorCount} cores, {Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9)} GB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.",
        Report.Goals(intake, pgbench, fullSystem, whatsApp, streams, apiIdleRssMb),
        intake, pgbench, fullSystem, textOrders, whatsApp, streams, apiIdleRssMb, notes);

    var name = startedAt.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)
        + (everything ? "" : $"-{string.Join('-', only)}") + (plan.IsQuick ? "-quick" : "");
    var files = new List<string> { $"{name}.json", $"{name}.md" };
    await File.WriteAllTextAsync(Path.Combine(results, $"{name}.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions(Report.JsonOptions) { WriteIndented = true }) + "\n");
    var plotFiles = new List<(string Title, string File)>();
    foreach (var (title, suffix, lines) in plots)
    {
        var file = name.Contains($"-{suffix}", StringComparison.Ordinal) ? $"{name}.svg" : $"{name}-{suffix}.svg"; // --only whatsapp: not -whatsapp-whatsapp
        await File.WriteAllTextAsync(Path.Combine(results, file), LatencyPlot.Svg(title, lines));
        plotFiles.Add((title, file));
        files.Add(file);
    }
    var summary = Report.Markdown(report, "", plotFiles);
    await File.WriteAllTextAsync(Path.Combine(results, $"{name}.md"), $"# Khaacho benchmark {name}\n\n{summary}");
    // Only a full run of every scenario replaces the READMEs' latest results.
    if (!plan.IsQuick && everything)
    {
        ReadmeTable.Replace(Path.Combine(root, "bench", "README.md"), Report.Markdown(report, "results/", plotFiles));
        ReadmeTable.Replace(Path.Combine(root, "README.md"), $"Latest full run ({startedAt:yyyy-MM-dd HH:mm} UTC, [summary](bench/results/{name}.md)):\n\n{Report.GoalsTable(report)}");
    }
    Console.WriteLine(summary);
    Log($"wrote bench/results/{string.Join(", ", files)} in {watch.Elapsed.TotalSeconds:N0} s");
    if (leftBehind.Count > 0)
    {
        Log($"FAIL: processes left behind: {string.Join(", ", leftBehind)}");
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
