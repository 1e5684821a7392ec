namespace Khaacho.Worker.Notifications;

/// <summary>Section <c>Notifications</c>: where outbound messages go. With no webhook they are only stored.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>WhatsApp Cloud API-shaped endpoint, e.g. <c>https://graph.facebook.com/v21.0/&lt;phone-number-id&gt;/messages</c>. Empty: store only.</summary>
    public Uri? WebhookUrl { get; set; }
    /// <summary>Bearer token for the webhook (a secret).</summary>
    public string? AccessToken { get; set; }
    /// <summary>One send's time limit. A send is never retried by the HTTP client (a POST that reached Meta would be sent twice); the stream retries it.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
