using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Khaacho.Tests.WhatsApp;

namespace Khaacho.Tests.Chaos;

/// <summary>One message Meta meant to deliver: its wamid, its sender, and whether the webhook ever answered it 200.</summary>
public sealed record WebhookDelivery(string Wamid, string Phone, bool Answered, int Attempts);

/// <summary>
/// Meta's side of the webhook under a fault: signed deliveries at a fixed rate, each sent again with the same bytes
/// (same wamid) until answered 200, as Meta redelivers. Each is a "status" question from a demo retailer, whose answer
/// is one reply: exactly one per message handled, whatever the fault did.
/// </summary>
public sealed class WebhookLoad(Uri api, IReadOnlyList<string> phones)
{
    public const string Text = "status";
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(120);
    private readonly HttpClient http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(3) }) { BaseAddress = api, Timeout = Timeout.InfiniteTimeSpan };

    public async Task<IReadOnlyList<WebhookDelivery>> RunAsync(int perSecond, TimeSpan duration)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var sends = new List<Task<WebhookDelivery>>(total);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var phone = phones[i % phones.Count];
            sends.Add(Task.Run(() => DeliverAsync(phone)));
        }
        return await Task.WhenAll(sends);
    }

    private async Task<WebhookDelivery> DeliverAsync(string phone)
    {
        var wamid = MetaWebhook.NewWamid();
        var body = MetaWebhook.Messages(phone, new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = Text } }, wamid);
        var signature = MetaWebhook.Sign(body);
        var budget = Stopwatch.StartNew();
        var attempts = 0;
        for (var backoff = TimeSpan.FromSeconds(1); budget.Elapsed < RetryBudget; backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(8).Ticks)))
        {
            attempts++;
            using var timeout = new CancellationTokenSource(AttemptTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, MetaWebhook.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK) return new WebhookDelivery(wamid, phone, true, attempts);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // Not answered: Meta sends it again later.
            }
            await Task.Delay(backoff);
        }
        return new WebhookDelivery(wamid, phone, false, attempts);
    }
}
