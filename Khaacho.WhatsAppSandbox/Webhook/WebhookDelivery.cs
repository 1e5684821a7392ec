using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Hosting;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Webhook;

/// <summary>
/// Delivers payloads as Meta does: signed, and a non-2xx answer (or none) retried with a doubling delay, the same bytes
/// (so the same wamid) each time, a bounded number of attempts (<c>Sandbox:WebhookAttempts</c>).
/// </summary>
public sealed partial class WebhookDelivery(
    WebhookClient client, SandboxStatus status, IOptions<SandboxOptions> options, TimeProvider clock,
    IHostApplicationLifetime lifetime, ILogger<WebhookDelivery> logger)
{
    /// <summary>
    /// An inbound message: the first attempt is awaited and its answer returned (the caller of <c>/api/inbound</c> sees
    /// it); if it failed, the retries go on in the background and the message's status shows each one.
    /// </summary>
    public async Task<int?> DeliverMessageAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        var answer = await client.PostAsync(message.Payload!, cancellationToken);
        var done = WebhookClient.Succeeded(answer) || options.Value.WebhookAttempts == 1;
        Record(message, answer, final: done);
        if (!done) _ = RetryAsync(message.Payload!, attempt => Record(message, attempt.Answer, attempt.Final), firstAttemptFailed: true);
        return answer;
    }

    /// <summary>A status callback: every attempt in the background, in order after the message's earlier callbacks.</summary>
    public Task DeliverStatusAsync(byte[] payload, string about) =>
        RetryAsync(payload, attempt =>
        {
            status.RecordDelivery(WebhookClient.Succeeded(attempt.Answer), attempt.Final);
            if (attempt.Final && !WebhookClient.Succeeded(attempt.Answer)) LogGaveUp(logger, about, options.Value.WebhookAttempts, WebhookClient.Describe(attempt.Answer));
        }, firstAttemptFailed: false);

    private void Record(ChatMessage message, int? answer, bool final)
    {
        message.RecordAttempt(WebhookClient.Describe(answer), final);
        status.RecordDelivery(WebhookClient.Succeeded(answer), final);
        if (final && !WebhookClient.Succeeded(answer)) LogGaveUp(logger, message.Id, message.Attempts, WebhookClient.Describe(answer));
    }

    private async Task RetryAsync(byte[] payload, Action<Attempt> recorded, bool firstAttemptFailed)
    {
        var settings = options.Value;
        var stopping = lifetime.ApplicationStopping;
        var delay = settings.WebhookRetryDelay;
        try
        {
            for (var attempt = firstAttemptFailed ? 2 : 1; attempt <= settings.WebhookAttempts; attempt++)
            {
                if (attempt > 1)
                {
                    await Task.Delay(delay, clock, stopping);
                    delay *= 2;
                }
                var answer = await client.PostAsync(payload, stopping);
                var final = WebhookClient.Succeeded(answer) || attempt == settings.WebhookAttempts;
                recorded(new Attempt(answer, final));
                if (final) return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: a sandbox keeps nothing across restarts.
        }
    }

    private readonly record struct Attempt(int? Answer, bool Final);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery of {About} given up after {Attempts} attempts; last answer {Answer}")]
    private static partial void LogGaveUp(ILogger logger, string about, int attempts, string answer);
}
