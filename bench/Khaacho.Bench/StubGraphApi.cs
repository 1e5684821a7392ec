using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Khaacho.Core.WhatsApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Khaacho.Bench;

/// <summary>
/// Meta's Graph API for what the system sends, <c>POST /{version}/{phone-number-id}/messages</c>, answered at once as
/// Meta answers (200 with a wamid; 401 for another access token, 400 for another phone number id). The run's
/// WhatsApp settings (<see cref="Settings"/>) point the AppHost here, so the sandbox does not run, and the harness
/// knows the app secret to sign deliveries with. It notes when each read-back arrived: an interactive message whose
/// first reply button is Confirm, by the read-back key in that button's id.
/// </summary>
internal sealed class StubGraphApi : IAsyncDisposable
{
    public const string PhoneNumberId = "100000000000002";
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, long> readBacks = new(StringComparer.Ordinal);
    private long messages;
    private long repeatedReadBacks;

    /// <summary>Generated per run: the webhook's signature key.</summary>
    public string AppSecret { get; } = Secret();
    public string AccessToken { get; } = Secret();
    public string VerifyToken { get; } = Secret();
    public Uri GraphApiUrl { get; }
    /// <summary>Messages answered 200, of every kind and to everyone.</summary>
    public long Messages => Interlocked.Read(ref messages);
    /// <summary>Read-backs whose key arrived more than once: the same read-back sent twice.</summary>
    public long RepeatedReadBacks => Interlocked.Read(ref repeatedReadBacks);

    private StubGraphApi(WebApplication app, Uri graphApiUrl) => (this.app, GraphApiUrl) = (app, graphApiUrl);

    /// <summary>What the AppHost is given: with <c>WhatsApp:GraphApiUrl</c> set, it uses these values and runs no sandbox.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WhatsApp__GraphApiUrl"] = GraphApiUrl.ToString(),
        ["WhatsApp__PhoneNumberId"] = PhoneNumberId,
        ["WhatsApp__AccessToken"] = AccessToken,
        ["WhatsApp__AppSecret"] = AppSecret,
        ["WhatsApp__VerifyToken"] = VerifyToken,
    };

    /// <summary>When the read-back of the message with this <see cref="ChatActions.ReadBackKey"/> first arrived (<see cref="Stopwatch"/> timestamp).</summary>
    public bool TryGetReadBack(string readBackKey, out long receivedAt) => readBacks.TryGetValue(readBackKey, out receivedAt);

    public static async Task<StubGraphApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        StubGraphApi? stub = null;
        app.MapPost("/v21.0/{phoneNumberId}/messages", async (string phoneNumberId, HttpContext context) =>
        {
            var receivedAt = Stopwatch.GetTimestamp();
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {stub!.AccessToken}")
                return Results.Json(new { error = new { message = "Invalid OAuth access token - Cannot parse access token", type = "OAuthException", code = 190 } }, statusCode: 401);
            if (phoneNumberId != PhoneNumberId)
                return Results.Json(new { error = new { message = "Unsupported post request.", type = "GraphMethodException", code = 100, error_subcode = 33 } }, statusCode: 400);
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var to = body.RootElement.TryGetProperty("to", out var recipient) ? recipient.GetString() : "";
            if (ReadBackKey(body.RootElement) is { } key && !stub.readBacks.TryAdd(key, receivedAt))
                Interlocked.Increment(ref stub.repeatedReadBacks);
            Interlocked.Increment(ref stub.messages);
            return Results.Json(new
            {
                messaging_product = "whatsapp",
                contacts = new[] { new { input = to, wa_id = to } },
                messages = new[] { new { id = $"wamid.stub{Guid.NewGuid():N}" } },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new StubGraphApi(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/v21.0/"));
        return stub;
    }

    /// <summary>The read-back key of <c>interactive.action.buttons[0].reply.id</c> when it is a Confirm button (<c>confirm:&lt;key&gt;</c>), else null.</summary>
    private static string? ReadBackKey(JsonElement message) =>
        message.TryGetProperty("interactive", out var interactive)
        && interactive.TryGetProperty("action", out var action)
        && action.TryGetProperty("buttons", out var buttons) && buttons.ValueKind == JsonValueKind.Array && buttons.GetArrayLength() > 0
        && buttons[0].TryGetProperty("reply", out var reply) && reply.TryGetProperty("id", out var id)
        && ChatActions.TryParse(id.GetString(), out var verb, out var key) && verb == ChatActions.Confirm
            ? key : null;

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
