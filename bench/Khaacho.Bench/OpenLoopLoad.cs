using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace Khaacho.Bench;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record Percentiles(double P50, double P95, double P99, double Max, long Count)
{
    public static Percentiles Of(HistogramBase histogram) => new(
        Ms(histogram.GetValueAtPercentile(50)), Ms(histogram.GetValueAtPercentile(95)),
        Ms(histogram.GetValueAtPercentile(99)), Ms(histogram.GetMaxValue()), histogram.TotalCount);

    private static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 1);
}

/// <summary>
/// One fixed-rate run: what was sent, what was accepted, every failure by kind, and latency. <see cref="SendLag"/> is
/// how late requests left the generator: a large one means the generator itself (sharing the cores) fell behind.
/// </summary>
public sealed record LoadRun(
    int OfferedPerSecond, double Seconds, long Sent, long Accepted, double AcceptedPerSecond,
    IReadOnlyDictionary<string, long> Failures, Percentiles Latency, Percentiles SendLag)
{
    public long FailureCount => Failures.Values.Sum();
}

/// <summary>
/// Sends requests at a fixed arrival rate, whatever the server does (open loop). Each request's latency is timed from
/// its scheduled send time, not from when it was actually sent, so a server that stalls is charged for the requests
/// that queued behind the stall (coordinated omission corrected). Every non-2xx answer, timeout and connection error
/// is counted, by kind.
/// </summary>
internal sealed class OpenLoopLoad(HttpClient http, IReadOnlyList<string> tokens)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static HttpClient CreateClient(Uri api) => new(new SocketsHttpHandler
    {
        // Enough for every rate the server can answer in time; beyond it requests wait here (still timed from their
        // schedule) instead of opening thousands of connections and overflowing the server's listen backlog.
        MaxConnectionsPerServer = 256,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    { BaseAddress = api, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>POST /api/v1/orders from every demo retailer in turn, each with its own Idempotency-Key.</summary>
    /// <param name="body">The JSON body of order n.</param>
    /// <param name="acceptedIds">When given, collects the order id (jobId) of every 202.</param>
    public Task<(LoadRun Run, LongHistogram Histogram)> OrdersAsync(
        int ratePerSecond, TimeSpan duration, Func<long, string> body, List<Guid>? acceptedIds, CancellationToken cancellationToken) =>
        RunAsync(ratePerSecond, duration, (n, _) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
            {
                Content = new StringContent(body(n), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[(int)(n % tokens.Count)]);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            return request;
        }, acceptedIds is null ? null : async (_, response, ct) =>
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            var id = json.RootElement.GetProperty("jobId").GetGuid();
            lock (acceptedIds) acceptedIds.Add(id);
            return null;
        }, cancellationToken);

    /// <param name="request">Request n, scheduled at the given <see cref="Stopwatch"/> timestamp.</param>
    /// <param name="check">When given, reads a 2xx answer: null when it is what was asked for, else the failure's kind.</param>
    public async Task<(LoadRun Run, LongHistogram Histogram)> RunAsync(
        int ratePerSecond, TimeSpan duration, Func<long, long, HttpRequestMessage> request,
        Func<long, HttpResponseMessage, CancellationToken, Task<string?>>? check, CancellationToken cancellationToken)
    {
        var histogram = new LongHistogram(120_000_000L /* 2 min in µs */, 3);
        var sendLag = new LongHistogram(120_000_000L, 3);
        var failures = new Dictionary<string, long>();
        long accepted = 0;
        var total = (long)Math.Round(ratePerSecond * duration.TotalSeconds);
        var inFlight = new List<Task>((int)total);
        var started = Stopwatch.GetTimestamp();
        long lastCompletion = started;

        async Task SendAsync(long n, long scheduled)
        {
            var lag = Math.Max(1, (long)Stopwatch.GetElapsedTime(scheduled).TotalMicroseconds);
            lock (sendLag) sendLag.RecordValue(lag);
            string outcome;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                using var message = request(n, scheduled);
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
                outcome = !response.IsSuccessStatusCode
                    ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : (check is null ? null : await check(n, response, timeout.Token)) ?? "ok";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { outcome = "timeout"; }
            catch (HttpRequestException e) { outcome = e.HttpRequestError.ToString(); }
            var now = Stopwatch.GetTimestamp();
            lock (histogram)
            {
                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(scheduled, now).TotalMicroseconds));
                if (outcome == "ok") accepted++;
                else failures[outcome] = failures.GetValueOrDefault(outcome) + 1;
                if (now > lastCompletion) lastCompletion = now;
            }
        }

        for (long n = 0; n < total && !cancellationToken.IsCancellationRequested; n++)
        {
            var scheduled = started + (long)(n * (double)Stopwatch.Frequency / ratePerSecond);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, cancellationToken);
            var number = n;
            inFlight.Add(Task.Run(() => SendAsync(number, scheduled), CancellationToken.None));
        }
        await Task.WhenAll(inFlight);

        var seconds = Math.Max(duration.TotalSeconds, Stopwatch.GetElapsedTime(started, lastCompletion).TotalSeconds);
        var run = new LoadRun(ratePerSecond, Math.Round(seconds, 2), total, accepted, Math.Round(accepted / seconds, 1),
            new SortedDictionary<string, long>(failures), Percentiles.Of(histogram), Percentiles.Of(sendLag));
        return (run, histogram);
    }
}
