using System.Globalization;
using System.Text.RegularExpressions;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Foundation;

/// <summary>On the system with an AI provider, so the AI series have had calls too.</summary>
[Collection(AiAppCollection.Name)]
public sealed partial class MetricsTests(AiAppFixture fixture)
{
    [Fact]
    public async Task Api_and_workers_export_the_catalogued_metrics_with_plausible_values()
    {
        await SendOrdersThroughAsync();

        var api = await ScrapeAsync("api");
        var orders = await ScrapeAsync("worker-orders");
        var ai = await ScrapeAsync("worker-ai");
        var notifications = await ScrapeAsync("worker-notifications");

        Assert.True(Sum(api, "khaacho_orders_accepted_total") >= 2);
        Assert.True(Sum(api, "http_server_request_duration_seconds_count") > 0);
        // The intake latency alert selects this exact route label.
        Assert.Contains(api["http_server_request_duration_seconds_count"].Keys,
            labels => labels.Contains("http_route=\"/api/v1/orders/\"") && labels.Contains("http_request_method=\"POST\""));
        Assert.True(Sum(api, "khaacho_outbox_published_total") >= 2);
        Assert.Contains("khaacho_outbox_backlog", api.Keys);

        Assert.True(Sum(orders, "khaacho_orders_outcome_total") >= 2);
        Assert.True(Sum(orders, "khaacho_pipeline_step_duration_seconds_count") >= 2);
        Assert.True(Sum(orders, "khaacho_partitions_ahead") >= 3);
        foreach (var (scrape, stream) in new[] { (orders, "orders"), (ai, "ai"), (notifications, "notifications") })
        {
            Assert.True(Value(scrape, "khaacho_stream_acked_total", stream) >= 1, $"{stream}: nothing acked");
            Assert.True(Value(scrape, "khaacho_stream_consumed_total", stream) >= Value(scrape, "khaacho_stream_acked_total", stream));
            foreach (var series in new[] { "khaacho_stream_retried_total", "khaacho_stream_dead_lettered_total", "khaacho_stream_claimed_total",
                         "khaacho_stream_pending", "khaacho_stream_lag", "khaacho_stream_retry_set_size", "khaacho_stream_dead_letters" })
                Assert.True(Value(scrape, series, stream) >= 0, $"{stream}: {series} missing");
            Assert.True(Value(scrape, "khaacho_stream_processing_duration_seconds_count", stream) >= 1);
        }

        Assert.True(Sum(ai, "khaacho_ai_parses_total") >= 2);
        Assert.True(Sum(ai, "khaacho_ai_calls_total") >= 1);
        Assert.True(Sum(ai, "khaacho_ai_tokens_total") >= ModelStub.InputTokens + ModelStub.OutputTokens);
        Assert.True(Sum(ai, "khaacho_ai_cost_usd_total") > 0);
        Assert.True(Sum(ai, "khaacho_ai_call_duration_seconds_count") >= 1);
        Assert.Equal(0, Sum(ai, "khaacho_ai_circuit_state"));
        Assert.True(Sum(ai, "khaacho_ai_budget_spent_usd") > 0);
        Assert.True(Sum(ai, "khaacho_ai_budget_limit_usd") > 0);
        Assert.True(Sum(api, "khaacho_ai_budget_limit_usd") > 0);
    }

    [Fact]
    public async Task Every_metric_the_alert_rules_and_the_grafana_dashboard_name_is_one_the_application_exports()
    {
        await SendOrdersThroughAsync();
        var rules = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy/prometheus/alerts.yml"))
            + await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy/grafana/khaacho.json"));
        var exported = new HashSet<string>();
        foreach (var resource in KhaachoAppFixture.WorkerResources.Prepend("api"))
            exported.UnionWith((await ScrapeAsync(resource)).Keys);

        var named = MetricName().Matches(rules).Select(m => m.Value).ToHashSet();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.True(exported.Contains(name), $"{name} is not exported by any process"));
    }

    /// <summary>
    /// An items order, a text order the offline parser reads and one only the model can, through the whole pipeline,
    /// so every series has had a measurement.
    /// </summary>
    private async Task SendOrdersThroughAsync()
    {
        fixture.Model.Answer = """{"items":[{"productCode":"DAL-CHANA-1KG","quantity":3,"sourceText":"3 packet"}],"unmatched":[]}""";
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 5));
        var items = await retailer.SubmitAsync("""{"items":[{"productCode":"DAL-CHANA-1KG","quantity":2}]}""");
        var text = await retailer.SubmitAsync("""{"text":"chiura 10 kg"}""");
        var modelText = await retailer.SubmitAsync($$"""{"text":"zzq{{Guid.NewGuid():N}} 3 packet"}""");
        await retailer.WaitForStatusAsync(items, "confirmed", "failed");
        await retailer.WaitForStatusAsync(text, "confirmed", "failed", "needs_clarification");
        await retailer.WaitForStatusAsync(modelText, "confirmed", "failed", "needs_clarification");
        await Task.Delay(TimeSpan.FromSeconds(6)); // one backlog sample and one OTel collection after the orders
    }

    /// <summary>Series name → (labels → value), from the Prometheus text format.</summary>
    private async Task<Dictionary<string, Dictionary<string, double>>> ScrapeAsync(string resource)
    {
        using var client = fixture.CreateHttpClient(resource);
        var body = await client.GetStringAsync("/metrics");
        var series = new Dictionary<string, Dictionary<string, double>>();
        foreach (Match m in Sample().Matches(body))
        {
            if (!series.TryGetValue(m.Groups["name"].Value, out var byLabels)) series[m.Groups["name"].Value] = byLabels = [];
            byLabels[m.Groups["labels"].Value] = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return series;
    }

    private static double Sum(Dictionary<string, Dictionary<string, double>> scrape, string name) =>
        scrape.TryGetValue(name, out var values) ? values.Values.Sum() : -1;

    private static double Value(Dictionary<string, Dictionary<string, double>> scrape, string name, string stream) =>
        scrape.TryGetValue(name, out var values) ? values.Where(v => v.Key.Contains($"stream=\"{stream}\"")).Sum(v => v.Value) - (values.Any(v => v.Key.Contains($"stream=\"{stream}\"")) ? 0 : 1) : -1;

    // Application and HTTP metric names; `up` is Prometheus' own.
    [GeneratedRegex(@"\b(?:khaacho|http_server|dotnet)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})?\s+(?<value>[-+0-9.eE]+|NaN)(?:\s+\d+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
