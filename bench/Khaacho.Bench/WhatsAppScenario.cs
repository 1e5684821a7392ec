using System.Diagnostics;
using System.Text.Json;
using HdrHistogram;
using Khaacho.Core.WhatsApp;

namespace Khaacho.Bench;

/// <summary>
/// Scenario 7: signed webhook deliveries at a fixed rate, each one text order from the demo retailers in turn, with a
/// unique wamid. Measured: POST→200 as Meta sees it, and each message's read-back as the Graph API stub receives it,
/// from the message's scheduled send. A message's read-back is found exactly: its Confirm button id carries
/// <see cref="ChatActions.ReadBackKey"/> of the message's wamid.
/// </summary>
internal sealed class WhatsAppScenario(
    BenchPlan plan, SystemUnderTest system, Pipeline pipeline, OpenLoopLoad load, StubGraphApi graph, DemoData demo, CancellationToken cancellationToken)
{
    private readonly MetaDeliveries meta = new(graph.AppSecret, StubGraphApi.PhoneNumberId);

    public List<(string Label, HistogramBase Histogram)> Histograms { get; } = [];

    public async Task<WhatsAppResult> RunAsync(string runDirectory)
    {
        var top = plan.WhatsAppRates.Max();
        var sample = MetaDeliveries.TextMessage(demo.RetailerPhones[0], MetaDeliveries.NewWamid(), DemoData.ChatOrders[0]).ToJsonString();
        var limit = await PgbenchLimit.WebhookTransactionAsync(pipeline.Database, system.PostgresConnectionString, runDirectory,
            plan.PgbenchDuration, top, demo.RetailerPhones, sample, cancellationToken);
        Log($"pgbench, webhook transaction at {top}/s: {Json(limit)}");
        if (!plan.IsQuick)
        {
            // The webhook, the whatsapp worker and the read-back's path are cold until now: warm them, not recorded.
            var warmup = await DeliverAsync(10, TimeSpan.FromSeconds(5));
            await DrainAsync(warmup.Select(m => m.Wamid).ToList());
        }
        var runs = new List<WhatsAppRun>();
        foreach (var rate in plan.WhatsAppRates)
        {
            var (run, webhook, readBack) = await RateAsync(rate);
            Histograms.Add(($"webhook {rate}/s", webhook));
            Histograms.Add(($"read-back {rate}/s", readBack));
            runs.Add(run);
            Log($"whatsapp {rate}/s: {Json(run with { Resources = [] })}");
        }
        return new WhatsAppResult(runs, PgbenchLimit.Clients, top, limit);
    }

    private async Task<(WhatsAppRun Run, LongHistogram Webhook, LongHistogram ReadBack)> RateAsync(int rate)
    {
        var since = DateTimeOffset.UtcNow;
        var repeatedBefore = graph.RepeatedReadBacks;
        var window = ResourceWindow.Open(system.ProcessGroups);
        var (webhook, messages) = await DeliverRecordedAsync(rate, plan.WhatsAppDuration);
        var stored = messages.Where(m => m.Stored).ToList();
        var wamids = stored.Select(m => m.Wamid).ToList();
        var unhandled = await pipeline.UnhandledInboxAsync(wamids);
        var (drained, drainSeconds, backlog) = await DrainAsync(wamids);
        var resources = window.Close();

        var histogram = new LongHistogram(3_600_000_000L /* 1 h in µs */, 3);
        foreach (var message in stored)
        {
            if (graph.TryGetReadBack(message.Key, out var receivedAt))
                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(message.Scheduled, receivedAt).TotalMicroseconds));
        }
        var inDatabase = await pipeline.StoredToReadBackSentAsync(wamids, [.. stored.Select(m => ChatActions.Of(ChatActions.Confirm, m.Key))], since);
        var run = new WhatsAppRun(webhook.Run, stored.Count, Percentiles.Of(histogram), histogram.TotalCount, graph.RepeatedReadBacks - repeatedBefore,
            Percentiles.Of(inDatabase), inDatabase.TotalCount, await pipeline.ChatRepliesSinceAsync(since),
            unhandled, drained, drainSeconds, await pipeline.UnhandledInboxAsync(wamids), backlog, resources);
        return (run, webhook.Histogram, histogram);
    }

    private async Task<IReadOnlyList<SentMessage>> DeliverAsync(int rate, TimeSpan duration) =>
        (await DeliverRecordedAsync(rate, duration)).Messages.Where(m => m.Stored).ToList();

    /// <summary>
    /// Message n comes from retailer n mod 10 with chat order n mod 8 (all ten retailers, every text, in turn). A 200
    /// counts only when its receipt says the message was stored (<c>"stored":1</c>); anything else is a failure by kind.
    /// </summary>
    private async Task<((LoadRun Run, LongHistogram Histogram) Webhook, SentMessage[] Messages)> DeliverRecordedAsync(int rate, TimeSpan duration)
    {
        var messages = new SentMessage[(int)Math.Round(rate * duration.TotalSeconds)];
        var webhook = await load.RunAsync(rate, duration, (n, scheduled) =>
        {
            var wamid = MetaDeliveries.NewWamid();
            messages[n] = new SentMessage(wamid, ChatActions.ReadBackKey(wamid), scheduled);
            var phones = demo.RetailerPhones;
            return meta.Text(phones[(int)(n % phones.Count)], wamid, DemoData.ChatOrders[n % DemoData.ChatOrders.Length]);
        }, async (n, response, ct) =>
        {
            using var receipt = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var storedCount = receipt.RootElement.GetProperty("stored").GetInt32();
            if (storedCount != 1) return receipt.RootElement.GetProperty("duplicates").GetInt32() > 0 ? "200 duplicate" : "200 not stored";
            messages[n].Stored = true;
            return null;
        }, cancellationToken);
        return (webhook, messages.Where(m => m is not null).ToArray());
    }

    /// <summary>Waits until every one of these messages is handled and nothing waits in any stream, retry set or the outbox (so every reply was sent).</summary>
    private async Task<(bool Drained, double Seconds, Backlog Backlog)> DrainAsync(IReadOnlyList<string> wamids)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var backlog = await pipeline.BacklogAsync();
            if (backlog.IsEmpty && await pipeline.UnhandledInboxAsync(wamids) == 0) return (true, Math.Round(watch.Elapsed.TotalSeconds, 1), backlog);
            if (watch.Elapsed > plan.DrainTimeout) return (false, Math.Round(watch.Elapsed.TotalSeconds, 1), backlog);
            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>One delivery: its message id, the read-back key derived from it, its scheduled send (Stopwatch timestamp).</summary>
    private sealed class SentMessage(string wamid, string key, long scheduled)
    {
        public string Wamid => wamid;
        public string Key => key;
        public long Scheduled => scheduled;
        public bool Stored { get; set; }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Report.JsonOptions);

    private static void Log(string message) => Console.Error.WriteLine($"[bench] {message}");
}
