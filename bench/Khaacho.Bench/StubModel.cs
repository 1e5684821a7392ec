using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Khaacho.Bench;

/// <summary>
/// An OpenAI-compatible chat completions endpoint that answers after a fixed delay with an order of one catalogue
/// product, in the shape the ai worker asks for. It counts the calls it gets: that count is "AI calls made".
/// </summary>
internal sealed class StubModel : IAsyncDisposable
{
    public const string Model = "stub-model";
    private readonly WebApplication app;
    private long calls;

    public Uri Endpoint { get; }
    public long Calls => Interlocked.Read(ref calls);

    private StubModel(WebApplication app, Uri endpoint) => (this.app, Endpoint) = (app, endpoint);

    public static async Task<StubModel> StartAsync(TimeSpan delay, IReadOnlyList<string> productCodes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        StubModel? stub = null;
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var n = Interlocked.Increment(ref stub!.calls);
            using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            await Task.Delay(delay, context.RequestAborted);
            var text = LastUserMessage(request.RootElement);
            var content = JsonSerializer.Serialize(new
            {
                items = new[] { new { productCode = productCodes[(int)(n % productCodes.Count)], quantity = 2, sourceText = text.Length > 200 ? text[..200] : text } },
                unmatched = Array.Empty<string>(),
            });
            return Results.Json(new
            {
                id = $"chatcmpl-stub-{n}",
                @object = "chat.completion",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model = Model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 200, completion_tokens = 30, total_tokens = 230 },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new StubModel(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/v1"));
        return stub;
    }

    private static string LastUserMessage(JsonElement request)
    {
        if (!request.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) return "";
        var last = messages.EnumerateArray().LastOrDefault(m => m.TryGetProperty("role", out var role) && role.GetString() == "user");
        return last.ValueKind == JsonValueKind.Object && last.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
            ? content.GetString()! : "";
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
