using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Khaacho.Tests.Hosting;

/// <summary>How the stub answers: as Meta does, with 500s, or too late for the client.</summary>
public enum WebhookBehaviour
{
    Answer,
    Fail,
    Slow,
}

/// <summary>
/// Stands in for the WhatsApp Cloud API's <c>POST /{version}/{phone-number-id}/messages</c>: records each message and
/// answers as Meta does, so the notifications worker's real HttpClient and resilience handler are what is tested.
/// </summary>
public sealed class WhatsAppStub : StubServer
{
    public const string PhoneNumberId = "1098765";

    public WhatsAppStub() => GraphApiUrl = $"http://127.0.0.1:{Port}/v21.0/";

    /// <summary>The Graph API's base URL with the version, as <c>WhatsApp:GraphApiUrl</c>; messages go to <c>{PhoneNumberId}/messages</c> under it.</summary>
    public string GraphApiUrl { get; }

    /// <summary>Every request, whatever it was answered.</summary>
    public ConcurrentQueue<(string Authorization, JsonElement Body)> Received { get; } = new();

    /// <summary>Messages Meta would have delivered: answered 200 while the client was still connected.</summary>
    public ConcurrentQueue<JsonElement> Delivered { get; } = new();

    public WebhookBehaviour Behaviour { get; set; } = WebhookBehaviour.Answer;

    /// <summary>How long an <see cref="WebhookBehaviour.Answer"/> takes, as Meta's own round trip does.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>How long a <see cref="WebhookBehaviour.Slow"/> answer takes: past the notifications client's timeouts.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(40);

    protected override async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
        Received.Enqueue((context.Request.Headers["Authorization"] ?? "", body));
        var behaviour = Behaviour;
        var delay = behaviour == WebhookBehaviour.Slow ? SlowDelay : behaviour == WebhookBehaviour.Answer ? Latency : TimeSpan.Zero;
        if (delay > TimeSpan.Zero) await Task.Delay(delay);
        var to = body.TryGetProperty("to", out var recipient) ? recipient.GetString() : "";
        var answer = Encoding.UTF8.GetBytes(behaviour == WebhookBehaviour.Fail
            ? """{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1,"error_subcode":0}}"""
            : $$"""
                {"messaging_product":"whatsapp","contacts":[{"input":"{{to}}","wa_id":"{{to}}"}],"messages":[{"id":"wamid.{{Guid.NewGuid():N}}"}]}
                """);
        context.Response.StatusCode = behaviour == WebhookBehaviour.Fail ? 500 : 200;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            return; // the client gave up before the answer: not delivered
        }
        if (behaviour != WebhookBehaviour.Fail) Delivered.Enqueue(body);
    }
}
