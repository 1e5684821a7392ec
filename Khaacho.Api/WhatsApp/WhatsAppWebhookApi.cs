using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Khaacho.Core.WhatsApp;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Khaacho.Api.WhatsApp;

/// <summary>
/// Meta's webhook for the WhatsApp Business number: <c>GET</c> answers the subscription handshake, <c>POST</c> takes
/// deliveries (messages and delivery reports), signed with the app secret. Anonymous by design: the signature is the
/// authentication. A delivery is stored, then answered 200; the whatsapp worker handles it.
/// </summary>
public static class WhatsAppWebhookApi
{
    public const string Path = "/api/v1/whatsapp/webhook";
    private const int MaxChallengeLength = 128;

    private static readonly Counter<long> Refused =
        KhaachoTelemetry.Meter.CreateCounter<long>("khaacho.whatsapp.webhook.refused", description: "Webhook requests refused, by reason");

    /// <summary>Creates the refusal series at 0, so an alert on them has data before the first refusal.</summary>
    public static void InitializeMetrics()
    {
        foreach (var reason in (string[])["signature", "handshake", "payload"]) Refused.Add(0, new KeyValuePair<string, object?>("reason", reason));
    }

    public static IEndpointRouteBuilder MapWhatsAppWebhookApi(this IEndpointRouteBuilder app)
    {
        var webhook = app.MapGroup(Path).WithTags("WhatsApp").AllowAnonymous();
        webhook.MapGet("", Handshake).WithName("VerifyWhatsAppWebhook")
            .WithSummary("Meta's subscription handshake: echoes hub.challenge when hub.verify_token is right")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        webhook.MapPost("", ReceiveAsync).WithName("ReceiveWhatsAppWebhook")
            .WithSummary("A delivery from Meta (messages, delivery reports), signed with X-Hub-Signature-256; stored, then answered 200")
            .Accepts<object>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static Results<ContentHttpResult, ProblemHttpResult> Handshake(HttpRequest request, IOptions<WhatsAppOptions> options)
    {
        var mode = request.Query["hub.mode"].ToString();
        var token = request.Query["hub.verify_token"].ToString();
        var challenge = request.Query["hub.challenge"].ToString();
        var expected = options.Value.VerifyToken;
        if (mode != "subscribe" || expected is not { Length: > 0 } || !FixedTimeEquals(token, expected))
        {
            Refused.Add(1, new KeyValuePair<string, object?>("reason", "handshake"));
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Webhook verification failed",
                detail: "hub.mode must be 'subscribe' and hub.verify_token the token configured as WhatsApp:VerifyToken.");
        }
        // Echoed back as text: only the short printable token Meta sends, never arbitrary content.
        if (challenge.Length is 0 or > MaxChallengeLength || !challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid hub.challenge",
                detail: $"hub.challenge must be 1 to {MaxChallengeLength} letters, digits, '-', '_' or '.'.");
        return TypedResults.Text(challenge, "text/plain", Encoding.UTF8);
    }

    private static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, IOptions<WhatsAppOptions> options, WhatsAppInbox inbox, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("whatsapp.webhook");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length).ToArray();

        if (options.Value.AppSecret is not { Length: > 0 } secret || !WebhookSignature.IsValid(request.Headers[WebhookSignature.Header], body, secret))
        {
            Refused.Add(1, new KeyValuePair<string, object?>("reason", "signature"));
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid webhook signature",
                detail: $"{WebhookSignature.Header} must be sha256=<HMAC-SHA256 of the raw body with the app secret>.");
        }
        if (!WebhookDelivery.TryRead(body, out var entries, out var skipped, out var error))
        {
            Refused.Add(1, new KeyValuePair<string, object?>("reason", "payload"));
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unreadable webhook delivery", detail: error);
        }
        activity?.SetTag("khaacho.whatsapp.entries", entries.Count);
        return TypedResults.Ok(await inbox.StoreAsync(entries, skipped, cancellationToken));
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
