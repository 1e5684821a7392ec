using System.Text.Json;
using System.Text.Json.Nodes;
using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Hosting;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Webhook;

/// <summary>
/// Meta's <c>whatsapp_business_account</c> envelope for the <c>messages</c> field: one entry, one change, with either
/// the contact's message or a status of a message the business sent.
/// </summary>
public sealed class WebhookPayloads(IOptions<SandboxOptions> options)
{
    public byte[] Message(string phone, string profileName, JsonObject message) =>
        Envelope(new JsonObject
        {
            ["contacts"] = new JsonArray(new JsonObject
            {
                ["profile"] = new JsonObject { ["name"] = profileName },
                ["wa_id"] = MessageIds.WaId(phone),
            }),
            ["messages"] = new JsonArray(message),
        });

    public byte[] Status(ChatMessage sent, string status, DateTimeOffset at, JsonArray? errors)
    {
        var entry = new JsonObject
        {
            ["id"] = sent.Id,
            ["status"] = status,
            ["timestamp"] = MessageIds.UnixSeconds(at),
            ["recipient_id"] = MessageIds.WaId(sent.Phone),
        };
        if (sent.CallbackData is not null) entry["biz_opaque_callback_data"] = sent.CallbackData;
        if (status is "sent" or "delivered")
        {
            entry["pricing"] = new JsonObject
            {
                ["billable"] = sent.Template is not null,
                ["pricing_model"] = "PMP",
                ["type"] = sent.Template is not null ? "regular" : "free_customer_service",
                ["category"] = sent.Template is not null ? "utility" : "service",
            };
        }
        if (errors is not null) entry["errors"] = errors.DeepClone();
        return Envelope(new JsonObject { ["statuses"] = new JsonArray(entry) });
    }

    /// <summary>The <c>errors</c> of a <c>failed</c> status, as Meta writes them.</summary>
    public static JsonArray Errors(int code, string title, string details) =>
        new(new JsonObject
        {
            ["code"] = code,
            ["title"] = title,
            ["message"] = title,
            ["error_data"] = new JsonObject { ["details"] = details },
            ["href"] = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
        });

    private byte[] Envelope(JsonObject value)
    {
        var settings = options.Value;
        var content = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject
            {
                ["display_phone_number"] = settings.DisplayPhoneNumber,
                ["phone_number_id"] = settings.PhoneNumberId,
            },
        };
        foreach (var (key, node) in value.ToList())
        {
            value.Remove(key);
            content[key] = node;
        }
        var envelope = new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = settings.BusinessAccountId,
                ["changes"] = new JsonArray(new JsonObject { ["value"] = content, ["field"] = "messages" }),
            }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(envelope, WireJson.Options);
    }
}
