using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Khaacho.Tests.Chaos;

/// <summary>One order a client meant to place: its Idempotency-Key, every order id it was answered, its last answer.</summary>
public sealed class Submission(string key)
{
    public string Key { get; } = key;
    public HashSet<Guid> OrderIds { get; } = [];
    public int Attempts { get; set; }
    /// <summary>From the first send to the last answer (or to giving up).</summary>
    public TimeSpan Took { get; set; }
    /// <summary>"202", another status code, "timeout" or a connection error; null before the first answer.</summary>
    public string? LastOutcome { get; set; }
    public bool Accepted => OrderIds.Count > 0;
}

/// <summary>
/// Open-loop load: orders leave at a fixed rate whatever the api answers. Each carries an Idempotency-Key; a POST that
/// times out, fails to connect or is answered 429/502/503/504 is sent again with the same key and body, as a real
/// client would, until it is answered or its retry budget is spent.
/// </summary>
public sealed class OrderLoad(Uri api, IReadOnlyList<string> tokens, OrderMix mix)
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(90);
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = 512,
    })
    { BaseAddress = api, Timeout = Timeout.InfiniteTimeSpan };
    private long sequence;

    public async Task<IReadOnlyList<Submission>> RunAsync(int perSecond, TimeSpan duration)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var sends = new List<Task<Submission>>(total);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var n = Interlocked.Increment(ref sequence);
            sends.Add(Task.Run(() => PlaceAsync(n)));
        }
        return await Task.WhenAll(sends);
    }

    private async Task<Submission> PlaceAsync(long n)
    {
        var submission = new Submission(Guid.NewGuid().ToString("N"));
        var body = mix.Body(n, submission.Key);
        var token = tokens[(int)(n % tokens.Count)];
        var budget = Stopwatch.StartNew();
        for (var backoff = TimeSpan.FromMilliseconds(500); ; backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks)))
        {
            submission.Attempts++;
            var retryAfter = await SendAsync(submission, body, token);
            if (retryAfter is null || budget.Elapsed + backoff > RetryBudget)
            {
                submission.Took = budget.Elapsed;
                return submission;
            }
            await Task.Delay(retryAfter.Value > backoff ? retryAfter.Value : backoff);
        }
    }

    /// <returns>How long to wait before sending again, or null when the answer is final.</returns>
    private async Task<TimeSpan?> SendAsync(Submission submission, string body, string token)
    {
        using var timeout = new CancellationTokenSource(AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", submission.Key);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            submission.LastOutcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
                lock (submission) submission.OrderIds.Add(json.RootElement.GetProperty("jobId").GetGuid());
                return null;
            }
            if ((int)response.StatusCode >= 500) submission.LastOutcome += $" {Title(await response.Content.ReadAsStringAsync(timeout.Token))}";
            return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                ? response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero
                : null;
        }
        catch (OperationCanceledException)
        {
            submission.LastOutcome = "timeout";
        }
        catch (HttpRequestException ex)
        {
            submission.LastOutcome = ex.HttpRequestError.ToString();
        }
        return TimeSpan.Zero;
    }

    /// <summary>A problem+json answer's title, so a table says which failure it was.</summary>
    private static string Title(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return body.Length > 60 ? body[..60] : body;
        }
    }
}
