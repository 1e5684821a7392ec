using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Khaacho.Tests.Hosting;
using Khaacho.WhatsAppSandbox.Webhook;

namespace Khaacho.Tests.WhatsApp;

/// <summary>One POST the webhook received: the exact bytes, their signature header, and whether it verified.</summary>
public sealed record WebhookDelivery(byte[] Body, string? Signature, bool Verified)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public JsonElement Value => Json.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value");

    public JsonElement? Message => Value.TryGetProperty("messages", out var messages) ? messages[0] : null;

    public JsonElement? Status => Value.TryGetProperty("statuses", out var statuses) ? statuses[0] : null;
}

/// <summary>
/// Stands in for the api's <c>/api/v1/whatsapp/webhook</c> as the sandbox's tests need it: answers the subscription
/// handshake when the verify token matches, verifies <c>X-Hub-Signature-256</c> over the raw body (401 when it does
/// not), records every delivery, and answers what the test asks for. <see cref="OnMessage"/> runs after the answer, as
/// the api processes an inbox row after answering 200.
/// </summary>
public sealed class FakeWebhook(string appSecret, string verifyToken) : StubServer
{
    public string Url => $"http://127.0.0.1:{Port}/api/v1/whatsapp/webhook";

    public ConcurrentQueue<WebhookDelivery> Deliveries { get; } = new();

    public ConcurrentQueue<string> Handshakes { get; } = new();

    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> nextAnswers = new();

    /// <summary>Answers for the next POSTs about one contact (its messages or statuses of messages to it), then 200.</summary>
    public void AnswerNext(string waId, params int[] codes)
    {
        var queue = nextAnswers.GetOrAdd(waId, _ => new ConcurrentQueue<int>());
        foreach (var code in codes) queue.Enqueue(code);
    }

    /// <summary>Answers for the next handshakes (then the real check); 503 means "not up yet".</summary>
    public ConcurrentQueue<int> NextHandshakeAnswers { get; } = new();

    public Func<JsonElement, Task>? OnMessage { get; set; }

    public IEnumerable<WebhookDelivery> Messages(string waId) =>
        Deliveries.Where(d => d.Message is { } m && m.GetProperty("from").GetString() == waId);

    public IEnumerable<JsonElement> Statuses(string wamid) =>
        Deliveries.Select(d => d.Status).OfType<JsonElement>().Where(s => s.GetProperty("id").GetString() == wamid);

    protected override async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        if (request.HttpMethod == "GET")
        {
            Handshakes.Enqueue(request.Url!.Query);
            var code = NextHandshakeAnswers.TryDequeue(out var queued) ? queued
                : request.QueryString["hub.mode"] == "subscribe" && request.QueryString["hub.verify_token"] == verifyToken ? 200 : 403;
            await AnswerAsync(context, code, code == 200 ? request.QueryString["hub.challenge"] ?? "" : "");
            return;
        }
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var bytes = body.ToArray();
        var signature = request.Headers[WebhookSignature.Header];
        var verified = WebhookSignature.Verify(bytes, signature, appSecret);
        var delivery = new WebhookDelivery(bytes, signature, verified);
        Deliveries.Enqueue(delivery);
        var about = delivery.Message?.GetProperty("from").GetString() ?? delivery.Status?.GetProperty("recipient_id").GetString() ?? "";
        var answer = !verified ? 401 : nextAnswers.TryGetValue(about, out var queue) && queue.TryDequeue(out var next) ? next : 200;
        await AnswerAsync(context, answer, "");
        if (answer == 200 && OnMessage is { } onMessage && delivery.Message is { } message) await onMessage(message);
    }

    private static async Task AnswerAsync(HttpListenerContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        var bytes = Encoding.UTF8.GetBytes(text);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
