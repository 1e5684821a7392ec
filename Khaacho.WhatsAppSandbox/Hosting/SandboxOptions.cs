using System.ComponentModel.DataAnnotations;

namespace Khaacho.WhatsAppSandbox.Hosting;

/// <summary>When the sandbox reports a message as read.</summary>
public enum ReadReceipts
{
    /// <summary>When the sandbox page shows the message (it calls <c>POST /api/conversations/{phone}/read</c>).</summary>
    Page,

    /// <summary>Right after <c>delivered</c>, as a phone that reads everything at once.</summary>
    Immediate,
}

/// <summary>The sandbox's settings (section <c>Sandbox</c>); the AppHost sets the secrets, the rest has local defaults.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";
    public const string E164 = @"^\+[1-9][0-9]{6,14}$";

    /// <summary>Where inbound messages and status callbacks go: the api's <c>POST /api/v1/whatsapp/webhook</c>.</summary>
    [Required]
    public Uri? WebhookUrl { get; set; }

    /// <summary>Key of the <c>X-Hub-Signature-256</c> HMAC, as Meta's app secret.</summary>
    [Required]
    public string AppSecret { get; set; } = "";

    /// <summary>What the subscription handshake sends as <c>hub.verify_token</c>.</summary>
    [Required]
    public string VerifyToken { get; set; } = "";

    /// <summary>The bearer token the Graph API side accepts.</summary>
    [Required]
    public string AccessToken { get; set; } = "";

    [Required, RegularExpression("^[0-9]{1,20}$")]
    public string PhoneNumberId { get; set; } = "100000000000001";

    [Required, RegularExpression("^[0-9]{1,20}$")]
    public string BusinessAccountId { get; set; } = "100000000000002";

    /// <summary>The business number as Meta writes it in <c>metadata.display_phone_number</c> (digits).</summary>
    [Required, RegularExpression("^[0-9]{7,15}$")]
    public string DisplayPhoneNumber { get; set; } = "9779801000000";

    /// <summary>Attempts per webhook delivery, the first included; a non-2xx answer or no answer is retried.</summary>
    [Range(1, 10)]
    public int WebhookAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; it doubles for each one after.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before each status callback (accepted → sent → delivered), as a phone network takes a moment.</summary>
    public TimeSpan StatusDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public ReadReceipts ReadReceipts { get; set; } = ReadReceipts.Page;

    /// <summary>Wait between subscription handshakes while the webhook is not answering yet.</summary>
    public TimeSpan HandshakeRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Meta's customer-service window: free-form messages only this long after the contact last wrote.</summary>
    public TimeSpan CustomerServiceWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The demo catalogue (retailers and vendors with their phones); relative to the sandbox's folder.</summary>
    [Required]
    public string CatalogPath { get; set; } = "catalog.json";

    /// <summary>A phone no retailer or vendor has, for trying what an unknown number gets.</summary>
    [Required, RegularExpression(E164)]
    public string UnknownPhone { get; set; } = "+9779800000999";

    /// <summary>Approved templates the sandbox can render: name → language code → body with {{1}} placeholders and quick-reply buttons.</summary>
    public Dictionary<string, Dictionary<string, TemplateText>> Templates { get; set; } = [];
}

public sealed class TemplateText
{
    [Required]
    public string Body { get; set; } = "";

    /// <summary>Quick-reply button labels, in order (index 0 first).</summary>
    public List<string> Buttons { get; set; } = [];
}
