using System.ComponentModel.DataAnnotations;

namespace Khaacho.Core.WhatsApp;

/// <summary>
/// Section <c>WhatsApp</c>: the WhatsApp Business number the platform speaks through (Meta's Cloud API, or the local
/// sandbox that speaks the same protocol). With no <see cref="GraphApiUrl"/>, nothing is sent: notifications are only
/// stored, and the webhook refuses every delivery (there is no secret to check it with).
/// </summary>
public sealed class WhatsAppOptions
{
    public const string Section = "WhatsApp";

    /// <summary>Graph API base, version included, ending in <c>/</c>: <c>https://graph.facebook.com/v21.0/</c>.</summary>
    public Uri? GraphApiUrl { get; set; }

    /// <summary>The business phone number's id (not the number): messages are sent as <c>POST {GraphApiUrl}{PhoneNumberId}/messages</c>.</summary>
    [RegularExpression("^[0-9]{1,32}$")]
    public string? PhoneNumberId { get; set; }

    /// <summary>System-user access token for the Graph API (a secret).</summary>
    public string? AccessToken { get; set; }

    /// <summary>The Meta app's secret: every webhook delivery carries <c>X-Hub-Signature-256</c>, an HMAC of its raw body with it (a secret).</summary>
    public string? AppSecret { get; set; }

    /// <summary>The token Meta echoes in the webhook subscription handshake (a secret chosen when subscribing).</summary>
    public string? VerifyToken { get; set; }

    /// <summary>How long a read-back waits for Confirm or Cancel before it expires and the retailer is told.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ReadBackExpiry { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Meta's customer-service window: free text only this long after the customer's last message; templates otherwise.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ServiceWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Approved templates used outside the window (names as registered with Meta; language codes per template).</summary>
    public WhatsAppTemplates Templates { get; set; } = new();

    public Uri? MessagesUrl => GraphApiUrl is null || PhoneNumberId is null ? null : new Uri(GraphApiUrl, $"{PhoneNumberId}/messages");
}

/// <summary>The template catalogue: which registered template carries which kind of message.</summary>
public sealed class WhatsAppTemplates
{
    /// <summary>A new order to a vendor: {{1}} order number, {{2}} retailer, {{3}} items, {{4}} total; quick replies Accept, Reject.</summary>
    public string NewOrder { get; set; } = "khaacho_new_order";

    /// <summary>Any other order notice: {{1}} order number, {{2}} what happened.</summary>
    public string OrderUpdate { get; set; } = "khaacho_order_update";

    /// <summary>A notice about the account, not one order (payments, reminders, credit holds): {{1}} what happened.</summary>
    public string AccountUpdate { get; set; } = "khaacho_account_update";

    public string NameOf(TemplateKind kind) => kind switch
    {
        TemplateKind.NewOrder => NewOrder,
        TemplateKind.AccountUpdate => AccountUpdate,
        _ => OrderUpdate,
    };
}
