using System.Text.Json;

namespace Khaacho.Worker.WhatsApp;

public enum ChatMessageKind
{
    Text,
    /// <summary>A tap on a reply button, a list row or a template's quick reply: <see cref="ChatMessage.ReplyId"/> says which.</summary>
    Reply,
    /// <summary>Anything else Meta sends (image, audio, location, reaction, sticker…): answered with what is supported.</summary>
    Unsupported,
}

/// <summary>One inbound WhatsApp message, as much of it as a conversation uses.</summary>
public sealed record ChatMessage(ChatMessageKind Kind, string Type, string? Text, string? ReplyId)
{
    public const int MaxTextLength = 4096;

    /// <summary>Reads one element of a delivery's <c>messages</c> (stored in the inbox exactly as Meta sent it).</summary>
    public static ChatMessage Read(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var message = document.RootElement;
        var type = String(message, "type") ?? "unknown";
        switch (type)
        {
            case "text" when Object(message, "text") is { } text && String(text, "body") is { } body:
                return new(ChatMessageKind.Text, type, body.Length > MaxTextLength ? body[..MaxTextLength] : body, null);
            case "interactive" when Object(message, "interactive") is { } interactive:
                var reply = Object(interactive, "button_reply") ?? Object(interactive, "list_reply");
                return reply is { } r && String(r, "id") is { } id
                    ? new(ChatMessageKind.Reply, type, String(r, "title"), id)
                    : new(ChatMessageKind.Unsupported, type, null, null);
            case "button" when Object(message, "button") is { } button && String(button, "payload") is { } payload2:
                return new(ChatMessageKind.Reply, type, String(button, "text"), payload2);
            default:
                return new(ChatMessageKind.Unsupported, type, null, null);
        }
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
