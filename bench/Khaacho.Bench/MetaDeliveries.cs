using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Khaacho.Bench;

/// <summary>
/// Webhook deliveries as Meta posts them (as Khaacho.Tests/WhatsApp/MetaWebhook.cs builds them): one text message in
/// the <c>whatsapp_business_account</c> envelope, signed with <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the
/// raw body, key = app secret&gt;</c>.
/// </summary>
internal sealed class MetaDeliveries(string appSecret, string phoneNumberId)
{
    public const string WebhookPath = "/api/v1/whatsapp/webhook";
    private readonly byte[] key = Encoding.UTF8.GetBytes(appSecret);

    /// <summary>A message id as Meta's look: <c>wamid.</c> and base64 of random bytes; unique per message.</summary>
    public static string NewWamid() => $"wamid.{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-')}";

    /// <summary>The message as Meta writes it inside the envelope (what the inbox stores as the payload).</summary>
    public static JsonObject TextMessage(string fromE164, string wamid, string text) => new()
    {
        ["from"] = fromE164.TrimStart('+'),
        ["id"] = wamid,
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["type"] = "text",
        ["text"] = new JsonObject { ["body"] = text },
    };

    public HttpRequestMessage Text(string fromE164, string wamid, string text)
    {
        var body = Encoding.UTF8.GetBytes(Envelope(fromE164, TextMessage(fromE164, wamid, text)));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body)));
        return request;
    }

    private string Envelope(string fromE164, JsonObject message) => new JsonObject
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = "102290129340398",
            ["changes"] = new JsonArray(new JsonObject
            {
                ["field"] = "messages",
                ["value"] = new JsonObject
                {
                    ["messaging_product"] = "whatsapp",
                    ["metadata"] = new JsonObject { ["display_phone_number"] = "9779800000000", ["phone_number_id"] = phoneNumberId },
                    ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = "Bench" }, ["wa_id"] = fromE164.TrimStart('+') }),
                    ["messages"] = new JsonArray(message),
                },
            }),
        }),
    }.ToJsonString();
}
