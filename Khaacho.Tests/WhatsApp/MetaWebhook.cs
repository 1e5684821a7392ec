using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>Posts to the api's webhook what Meta posts: the delivery envelope, signed with the app secret over the raw bytes.</summary>
public sealed class MetaWebhook(KhaachoAppFixture fixture)
{
    public const string Path = "/api/v1/whatsapp/webhook";

    public static string NewWamid() => $"wamid.{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-')}";

    public Task<HttpResponseMessage> TextAsync(string fromE164, string text, string? wamid = null) =>
        PostAsync(Messages(fromE164, new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = text } }, wamid));

    public Task<HttpResponseMessage> ButtonReplyAsync(string fromE164, string id, string title = "tap", string? wamid = null) =>
        PostAsync(Messages(fromE164, new JsonObject
        {
            ["type"] = "interactive",
            ["interactive"] = new JsonObject { ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = id, ["title"] = title } },
        }, wamid));

    public Task<HttpResponseMessage> ListReplyAsync(string fromE164, string id, string title = "row") =>
        PostAsync(Messages(fromE164, new JsonObject
        {
            ["type"] = "interactive",
            ["interactive"] = new JsonObject { ["type"] = "list_reply", ["list_reply"] = new JsonObject { ["id"] = id, ["title"] = title } },
        }, null));

    public Task<HttpResponseMessage> KindAsync(string fromE164, string type, JsonObject body) =>
        PostAsync(Messages(fromE164, new JsonObject { ["type"] = type, [type] = body }, null));

    public Task<HttpResponseMessage> StatusAsync(string toE164, string messageId, string status, Guid? notificationId, int? errorCode = null)
    {
        var report = new JsonObject
        {
            ["id"] = messageId, ["status"] = status, ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(), ["recipient_id"] = toE164.TrimStart('+'),
        };
        if (notificationId is { } id) report["biz_opaque_callback_data"] = id.ToString();
        if (errorCode is { } code) report["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["title"] = "Re-engagement message" });
        return PostAsync(Envelope(new JsonObject { ["statuses"] = new JsonArray(report) }));
    }

    public Task<HttpResponseMessage> PostAsync(string body) => SendAsync(body, Sign(body));

    public async Task<HttpResponseMessage> SendAsync(string body, string? signature)
    {
        using var client = fixture.CreateHttpClient("api");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
        if (signature is not null) request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        return await client.SendAsync(request);
    }

    public static string Sign(string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WhatsAppStub.AppSecret), Encoding.UTF8.GetBytes(body)));

    public static string Messages(string fromE164, JsonObject message, string? wamid)
    {
        message["from"] = fromE164.TrimStart('+');
        message["id"] = wamid ?? NewWamid();
        message["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        return Envelope(new JsonObject
        {
            ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = "Test" }, ["wa_id"] = fromE164.TrimStart('+') }),
            ["messages"] = new JsonArray(message),
        });
    }

    private static string Envelope(JsonObject value)
    {
        value["messaging_product"] = "whatsapp";
        value["metadata"] = new JsonObject { ["display_phone_number"] = "9779800000000", ["phone_number_id"] = WhatsAppStub.PhoneNumberId };
        return new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = "102290129340398",
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }),
            }),
        }.ToJsonString();
    }

    /// <summary>The messages the stub Graph API took for <paramref name="toE164"/>, oldest first.</summary>
    public static List<JsonElement> SentTo(WhatsAppStub stub, string toE164) =>
        [.. stub.Delivered.Where(m => m.TryGetProperty("to", out var to) && to.GetString() == toE164.TrimStart('+'))];

    public static string TextOf(JsonElement message) => message.GetProperty("type").GetString() switch
    {
        "text" => message.GetProperty("text").GetProperty("body").GetString()!,
        "interactive" => message.GetProperty("interactive").GetProperty("body").GetProperty("text").GetString()!,
        "template" => string.Join(" | ", message.GetProperty("template").GetProperty("components")[0].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("text").GetString())),
        var other => other!,
    };

    /// <summary>The ids of a message's reply buttons, list rows or template quick replies.</summary>
    public static List<string> ChoicesOf(JsonElement message)
    {
        if (message.GetProperty("type").GetString() == "template")
            return [.. message.GetProperty("template").GetProperty("components").EnumerateArray().Where(c => c.GetProperty("type").GetString() == "button")
                .Select(c => c.GetProperty("parameters")[0].GetProperty("payload").GetString()!)];
        if (message.GetProperty("type").GetString() != "interactive") return [];
        var action = message.GetProperty("interactive").GetProperty("action");
        return action.TryGetProperty("buttons", out var buttons)
            ? [.. buttons.EnumerateArray().Select(b => b.GetProperty("reply").GetProperty("id").GetString()!)]
            : [.. action.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("rows").EnumerateArray()).Select(r => r.GetProperty("id").GetString()!)];
    }
}
