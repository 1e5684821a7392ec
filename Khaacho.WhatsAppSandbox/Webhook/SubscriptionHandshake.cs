using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Webhook;

/// <summary>
/// Meta's subscription check, once at start: <c>GET webhook?hub.mode=subscribe&amp;hub.verify_token=..&amp;hub.challenge=..</c>,
/// which the webhook must answer 200 with the challenge. Until the webhook answers at all (the api may start after the
/// sandbox) it is tried again; a 5xx counts as not answering yet. The outcome is in <c>GET /api/status</c>.
/// </summary>
public sealed partial class SubscriptionHandshake(
    IHttpClientFactory http, SandboxStatus status, IOptions<SandboxOptions> options, TimeProvider clock, ILogger<SubscriptionHandshake> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var challenge = MessageIds.NewDigits(10);
            var url = QueryHelpers.AddQueryString(settings.WebhookUrl!.ToString(), new Dictionary<string, string?>
            {
                ["hub.mode"] = "subscribe",
                ["hub.verify_token"] = settings.VerifyToken,
                ["hub.challenge"] = challenge,
            });
            try
            {
                using var response = await http.CreateClient(WebhookClient.HttpClientName).GetAsync(url, stoppingToken);
                var body = await response.Content.ReadAsStringAsync(stoppingToken);
                var code = (int)response.StatusCode;
                if (code < 500)
                {
                    var verified = code == 200 && body.Trim() == challenge;
                    status.RecordHandshake(verified ? "verified" : "refused", $"{code}", clock.GetUtcNow());
                    if (verified) LogVerified(logger, settings.WebhookUrl);
                    else LogRefused(logger, settings.WebhookUrl, code);
                    return;
                }
                status.RecordHandshake("pending", $"{code}", clock.GetUtcNow());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                status.RecordHandshake("pending", "unreachable", clock.GetUtcNow());
            }
            try
            {
                await Task.Delay(settings.HandshakeRetryDelay, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Url} echoed the subscription challenge: verified")]
    private static partial void LogVerified(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Url} answered the subscription handshake {Status} without the challenge: not verified")]
    private static partial void LogRefused(ILogger logger, Uri url, int status);
}
