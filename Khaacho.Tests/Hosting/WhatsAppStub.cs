using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Khaacho.Tests.Hosting;

/// <summary>
/// Stands in for the WhatsApp Cloud API's <c>POST /{version}/{phone-number-id}/messages</c>: records each message and
/// answers as Meta does, so the notifications worker's real HttpClient and resilience handler are what is tested.
/// </summary>
public sealed class WhatsAppStub : StubServer
{
    public WhatsAppStub() => MessagesUrl = $"http://127.0.0.1:{Port}/v21.0/1098765/messages";

    public string MessagesUrl { get; }

    public ConcurrentQueue<(string Authorization, JsonElement Body)> Received { get; } = new();

    protected override async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
        Received.Enqueue((context.Request.Headers["Authorization"] ?? "", body));
        var to = body.TryGetProperty("to", out var recipient) ? recipient.GetString() : "";
        var answer = Encoding.UTF8.GetBytes($$"""
            {"messaging_product":"whatsapp","contacts":[{"input":"{{to}}","wa_id":"{{to}}"}],"messages":[{"id":"wamid.{{Guid.NewGuid():N}}"}]}
            """);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(answer);
        context.Response.Close();
    }
}
