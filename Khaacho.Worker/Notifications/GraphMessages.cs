using System.Text.Json.Nodes;
using Khaacho.Core.WhatsApp;

namespace Khaacho.Worker.Notifications;

/// <summary>
/// Request bodies of the Graph API's <c>POST /{phone-number-id}/messages</c>: text, interactive reply buttons,
/// interactive list, or a template (with quick-reply payloads). <c>biz_opaque_callback_data</c> carries the
/// notification id, which Meta echoes in every delivery report about the message.
/// </summary>
public static class GraphMessages
{
    private const int MaxInteractiveBody = 1024;

    public static JsonObject Free(string to, string text, ChatContent? content, Guid notificationId)
    {
        var message = Envelope(to, notificationId);
        if (content?.Buttons is { Count: > 0 } buttons)
        {
            message["type"] = "interactive";
            message["interactive"] = new JsonObject
            {
                ["type"] = "button",
                ["body"] = new JsonObject { ["text"] = Fit(text, MaxInteractiveBody) },
                ["action"] = new JsonObject
                {
                    ["buttons"] = new JsonArray([.. buttons.Take(ChatContent.MaxButtons).Select(b => (JsonNode)new JsonObject
                    {
                        ["type"] = "reply",
                        ["reply"] = new JsonObject { ["id"] = b.Id, ["title"] = Fit(b.Title, ChatContent.MaxButtonTitle) },
                    })]),
                },
            };
        }
        else if (content?.Options is { Count: > 0 } options)
        {
            message["type"] = "interactive";
            message["interactive"] = new JsonObject
            {
                ["type"] = "list",
                ["body"] = new JsonObject { ["text"] = Fit(text, MaxInteractiveBody) },
                ["action"] = new JsonObject
                {
                    ["button"] = Fit(content.ListButton ?? "Choose", ChatContent.MaxButtonTitle),
                    ["sections"] = new JsonArray(new JsonObject
                    {
                        ["title"] = Fit(content.ListButton ?? "Choose", ChatContent.MaxOptionTitle),
                        ["rows"] = new JsonArray([.. options.Take(ChatContent.MaxOptions).Select(o => (JsonNode)Row(o))]),
                    }),
                },
            };
        }
        else
        {
            message["type"] = "text";
            message["text"] = new JsonObject { ["body"] = text };
        }
        return message;
    }

    public static JsonObject Template(string to, string name, string language, ChatTemplate template, Guid notificationId)
    {
        var components = new JsonArray(new JsonObject
        {
            ["type"] = "body",
            ["parameters"] = new JsonArray([.. template.Parameters.Select(p => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = p })]),
        });
        var index = 0;
        foreach (var payload in template.QuickReplies ?? [])
        {
            components.Add(new JsonObject
            {
                ["type"] = "button",
                ["sub_type"] = "quick_reply",
                ["index"] = (index++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["parameters"] = new JsonArray(new JsonObject { ["type"] = "payload", ["payload"] = payload }),
            });
        }
        var message = Envelope(to, notificationId);
        message["type"] = "template";
        message["template"] = new JsonObject { ["name"] = name, ["language"] = new JsonObject { ["code"] = language }, ["components"] = components };
        return message;
    }

    private static JsonObject Envelope(string to, Guid notificationId) => new()
    {
        ["messaging_product"] = "whatsapp",
        ["recipient_type"] = "individual",
        ["to"] = to,
        ["biz_opaque_callback_data"] = notificationId.ToString(),
    };

    private static JsonObject Row(ChatOption option)
    {
        var row = new JsonObject { ["id"] = option.Id, ["title"] = Fit(option.Title, ChatContent.MaxOptionTitle) };
        if (option.Description is { Length: > 0 } description) row["description"] = Fit(description, 72);
        return row;
    }

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
