namespace Khaacho.Worker.Notifications;

/// <summary>Section <c>Notifications</c>: how sends behave. Where they go is the <c>WhatsApp</c> section (with none, notifications are only stored).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>One send's time limit. A send is never retried by the HTTP client (a POST that reached Meta would be sent twice); the stream retries it.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
