using System.Net;
using System.Text;
using System.Text.Json;

namespace Khaacho.Tests.Hosting;

/// <summary>One scripted answer: a status, optional Retry-After, a delay before answering, and the model's text.</summary>
public sealed record StubReply(int Status = 200, string? Content = null, TimeSpan Delay = default, int? RetryAfterSeconds = null);

/// <summary>
/// A model provider on the real wire protocol: OpenAI's <c>POST /v1/chat/completions</c> (also what a local
/// OpenAI-compatible server speaks) or Anthropic's <c>POST /v1/messages</c>. Answers from a script, then from
/// <see cref="Default"/>, so the real SDKs and resilience handlers are what a test drives.
/// </summary>
public sealed class ModelStub : StubServer
{
    public const int InputTokens = 120;
    public const int OutputTokens = 30;
    private readonly Queue<StubReply> script = new();
    private readonly List<DateTimeOffset> requestTimes = [];
    private readonly Lock gate = new();

    public ModelStub(bool anthropic)
    {
        Anthropic = anthropic;
        BaseUrl = anthropic ? $"http://127.0.0.1:{Port}" : $"http://127.0.0.1:{Port}/v1";
    }

    public bool Anthropic { get; }
    public string BaseUrl { get; }
    public StubReply Default { get; set; } = new();
    /// <summary>The model text of a successful answer, when a reply does not give its own.</summary>
    public string Answer { get; set; } = """{"items":[],"unmatched":[]}""";

    public int Requests { get { lock (gate) return requestTimes.Count; } }
    public IReadOnlyList<DateTimeOffset> RequestTimes { get { lock (gate) return [.. requestTimes]; } }
    /// <summary>The credential each request carried (<c>x-api-key</c>, else <c>Authorization</c>).</summary>
    public List<string> Authorizations { get; } = [];

    public void Then(params StubReply[] replies)
    {
        lock (gate) foreach (var reply in replies) script.Enqueue(reply);
    }

    protected override async Task AnswerAsync(HttpListenerContext context)
    {
        StubReply reply;
        lock (gate)
        {
            requestTimes.Add(DateTimeOffset.UtcNow);
            Authorizations.Add(context.Request.Headers["x-api-key"] ?? context.Request.Headers["Authorization"] ?? "");
            reply = script.Count > 0 ? script.Dequeue() : Default;
        }
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var request = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
        var model = request.TryGetProperty("model", out var m) ? m.GetString() : "stub";
        try
        {
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            if (reply.RetryAfterSeconds is { } seconds) context.Response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var body = reply.Status == 200 ? Success(model, reply.Content ?? Answer) : Error(reply.Status);
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up (a timeout under test); nothing to answer.
        }
    }

    private string Success(string? model, string content) => Anthropic
        ? JsonSerializer.Serialize(new
        {
            id = "msg_stub", type = "message", role = "assistant", model,
            content = new[] { new { type = "text", text = content } },
            stop_reason = "end_turn", stop_sequence = (string?)null,
            usage = new { input_tokens = InputTokens, output_tokens = OutputTokens },
        })
        : JsonSerializer.Serialize(new
        {
            id = "chatcmpl-stub", @object = "chat.completion", created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = InputTokens, completion_tokens = OutputTokens, total_tokens = InputTokens + OutputTokens },
        });

    private string Error(int status) => Anthropic
        ? JsonSerializer.Serialize(new { type = "error", error = new { type = status == 429 ? "rate_limit_error" : "api_error", message = $"stub {status}" } })
        : JsonSerializer.Serialize(new { error = new { message = $"stub {status}", type = "server_error", code = (string?)null } });
}
