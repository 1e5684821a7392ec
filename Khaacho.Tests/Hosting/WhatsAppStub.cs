using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Khaacho.Tests.Hosting;

/// <summary>
/// Stands in for the WhatsApp Cloud API's <c>POST /{version}/{phone-number-id}/messages</c>: records each message and
/// answers as Meta does, so the notifications worker's real HttpClient and resilience handler are what is tested.
/// </summary>
public sealed class WhatsAppStub : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;

    public WhatsAppStub()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        MessagesUrl = $"http://127.0.0.1:{port}/v21.0/1098765/messages";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public string MessagesUrl { get; }

    public ConcurrentQueue<(string Authorization, JsonElement Body)> Received { get; } = new();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { return; }
            // Concurrently, as the real API answers: a burst of notifications must not queue behind one another here.
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
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

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }
}
