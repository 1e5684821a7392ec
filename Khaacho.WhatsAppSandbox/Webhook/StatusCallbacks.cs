using System.Text.Json.Nodes;
using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Hosting;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Webhook;

/// <summary>
/// Meta's <c>statuses</c> callbacks for what the business sent: sent, then delivered (then read, when the page shows the
/// message or at once with <c>Sandbox:ReadReceipts=Immediate</c>), or failed with the error. The stored message moves
/// to each status as its callback goes out; one message's callbacks go out in order.
/// </summary>
public sealed class StatusCallbacks(WebhookPayloads payloads, WebhookDelivery delivery, IOptions<SandboxOptions> options, TimeProvider clock)
{
    public void Accepted(ChatMessage message)
    {
        Enqueue(message, "sent");
        Enqueue(message, "delivered");
        if (options.Value.ReadReceipts == ReadReceipts.Immediate) Enqueue(message, "read");
    }

    public void Failed(ChatMessage message, JsonArray errors) => Enqueue(message, "failed", errors);

    public void Read(ChatMessage message) => Enqueue(message, "read");

    private void Enqueue(ChatMessage message, string status, JsonArray? errors = null)
    {
        lock (message.Gate)
        {
            message.Callbacks = message.Callbacks.ContinueWith(_ => SendAsync(message, status, errors), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task SendAsync(ChatMessage message, string status, JsonArray? errors)
    {
        if (status != "read") await Task.Delay(options.Value.StatusDelay, clock);
        if (!message.Advance(status, errors)) return;
        await delivery.DeliverStatusAsync(payloads.Status(message, status, clock.GetUtcNow(), errors), $"{status} of {message.Id}");
    }
}
