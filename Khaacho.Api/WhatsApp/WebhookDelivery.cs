using System.Text.Json;
using Khaacho.Core.WhatsApp;

namespace Khaacho.Api.WhatsApp;

/// <summary>One message or delivery report out of a webhook delivery, ready to store in the inbox.</summary>
public sealed record InboxEntry(string Id, InboxKind Kind, string Phone, string Payload);

/// <summary>
/// Reads Meta's envelope — <c>{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":
/// {"messages":[…],"statuses":[…]}}]}]}</c> — into inbox entries. Each message is kept as Meta sent it; the worker reads
/// it. An element without an id or a phone cannot be answered or deduplicated and is left out (and counted).
/// </summary>
public static class WebhookDelivery
{
    public const int MaxIdLength = 200;

    public static bool TryRead(ReadOnlySpan<byte> body, out List<InboxEntry> entries, out int skipped, out string? error)
    {
        entries = [];
        skipped = 0;
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            error = $"The body is not JSON: {ex.Message}";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("object", out var kind) || kind.ValueKind != JsonValueKind.String
                || kind.GetString() != "whatsapp_business_account")
            {
                error = "Not a WhatsApp Business Account delivery: 'object' must be \"whatsapp_business_account\".";
                return false;
            }
            foreach (var value in Values(root))
            {
                foreach (var message in Array(value, "messages"))
                {
                    if (Text(message, "id") is { Length: > 0 and <= MaxIdLength } id && PhoneNumbers.TryFromWaId(Text(message, "from"), out var from))
                        entries.Add(new InboxEntry(id, InboxKind.Message, from, message.GetRawText()));
                    else skipped++;
                }
                foreach (var status in Array(value, "statuses"))
                {
                    if (Text(status, "id") is { Length: > 0 and <= MaxIdLength } id && Text(status, "status") is { Length: > 0 and <= 16 } state
                        && PhoneNumbers.TryFromWaId(Text(status, "recipient_id"), out var to))
                        entries.Add(new InboxEntry($"{id}:{state}", InboxKind.Status, to, status.GetRawText()));
                    else skipped++;
                }
            }
            entries = [.. entries.Where(e => e.Payload.Length <= InboxMessage.MaxPayloadLength).DistinctBy(e => e.Id)];
            return true;
        }
    }

    private static IEnumerable<JsonElement> Values(JsonElement root) =>
        from entry in Array(root, "entry")
        from change in Array(entry, "changes")
        where change.ValueKind == JsonValueKind.Object && change.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Object
        select change.GetProperty("value");

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
