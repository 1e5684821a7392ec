using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Khaacho.WhatsAppSandbox.Chat;

namespace Khaacho.WhatsAppSandbox.Graph;

/// <summary>A send the Graph API accepted, before it is stored: to whom, what the phone shows, and the template if any.</summary>
public sealed record SendRequest(
    string Phone, string Type, string Text, IReadOnlyList<ChatChoice>? Buttons, IReadOnlyList<ChatChoice>? Options,
    string? OptionsLabel, string? Template, string? Language, string? CallbackData);

/// <summary>
/// Reads a <c>POST /{version}/{phone-number-id}/messages</c> body and checks it as Meta does: text, interactive
/// (reply buttons, list) and template messages, with Meta's limits (3 buttons of at most 20 characters, 10 list rows,
/// ...). Anything else is a 400 with code 100 (or 132000 for a template's parameter count) and what is wrong in
/// <c>error_data.details</c>.
/// </summary>
public static partial class SendRequestReader
{
    public static (SendRequest? Request, GraphError? Error) Read(ReadOnlySpan<byte> body, TemplateCatalogue templates)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }
        if (root is null) return Fail("The request body is not a JSON object.");
        if (Text(root["messaging_product"]) != "whatsapp") return Fail("Parameter messaging_product is required and must be 'whatsapp'.");
        if (Text(root["recipient_type"]) is { } recipientType && recipientType != "individual") return Fail("Parameter recipient_type must be 'individual'.");
        if (Text(root["to"]) is not { } to || !Recipient().IsMatch(to)) return Fail("Parameter to must be the recipient's phone number in international format (digits, e.g. 9779800000001).");
        var callbackData = root["biz_opaque_callback_data"];
        if (callbackData is not null && (Text(callbackData) is not { } data || data.Length > 512))
            return Fail("Parameter biz_opaque_callback_data must be a string of at most 512 characters.");

        var phone = "+" + to.TrimStart('+');
        var type = Text(root["type"]) ?? "text";
        var read = type switch
        {
            "text" => ReadText(root),
            "interactive" => ReadInteractive(root),
            "template" => ReadTemplate(root, templates),
            _ => Fail($"Message type '{type}' is not supported by the sandbox (text, interactive and template are)."),
        };
        return read.Error is not null ? read : (read.Request! with { Phone = phone, CallbackData = Text(callbackData) }, null);
    }

    private static (SendRequest? Request, GraphError? Error) ReadText(JsonObject root)
    {
        if (Text(root["text"]?["body"]) is not { Length: > 0 } body) return Fail("Parameter text.body is required.");
        if (body.Length > 4096) return Fail("Parameter text.body must be at most 4096 characters.");
        return Ok(new SendRequest("", "text", body, null, null, null, null, null, null));
    }

    private static (SendRequest? Request, GraphError? Error) ReadInteractive(JsonObject root)
    {
        var interactive = root["interactive"] as JsonObject;
        if (interactive is null) return Fail("Parameter interactive is required.");
        if (Text(interactive["body"]?["text"]) is not { Length: > 0 } body) return Fail("Parameter interactive.body.text is required.");
        if (body.Length > 1024) return Fail("Parameter interactive.body.text must be at most 1024 characters.");
        if (Text(interactive["footer"]?["text"]) is { Length: > 60 }) return Fail("Parameter interactive.footer.text must be at most 60 characters.");
        var action = interactive["action"] as JsonObject;
        if (action is null) return Fail("Parameter interactive.action is required.");
        return Text(interactive["type"]) switch
        {
            "button" => ReadButtons(body, action),
            "list" => ReadList(body, action),
            var other => Fail($"Parameter interactive.type must be 'button' or 'list', not '{other}'."),
        };
    }

    private static (SendRequest? Request, GraphError? Error) ReadButtons(string body, JsonObject action)
    {
        if (action["buttons"] is not JsonArray { Count: > 0 } buttons) return Fail("Parameter interactive.action.buttons is required (1 to 3 buttons).");
        if (buttons.Count > 3) return Fail($"Buttons count is {buttons.Count}, should be at most 3.");
        var choices = new List<ChatChoice>();
        foreach (var button in buttons)
        {
            if (Text(button?["type"]) != "reply") return Fail("Parameter interactive.action.buttons[].type must be 'reply'.");
            var id = Text(button?["reply"]?["id"]);
            var title = Text(button?["reply"]?["title"]);
            if (id is not { Length: > 0 and <= 256 }) return Fail("Parameter interactive.action.buttons[].reply.id is required, at most 256 characters.");
            if (title is not { Length: > 0 }) return Fail("Parameter interactive.action.buttons[].reply.title is required.");
            if (title.Length > 20) return Fail($"Button title length is {title.Length}, should be at most 20 characters: '{title}'.");
            if (choices.Any(c => c.Id == id || c.Title == title)) return Fail($"Buttons must have unique ids and titles: '{id}'.");
            choices.Add(new ChatChoice(id, title));
        }
        return Ok(new SendRequest("", "interactive", body, choices, null, null, null, null, null));
    }

    private static (SendRequest? Request, GraphError? Error) ReadList(string body, JsonObject action)
    {
        if (Text(action["button"]) is not { Length: > 0 } label) return Fail("Parameter interactive.action.button is required.");
        if (label.Length > 20) return Fail($"List button text length is {label.Length}, should be at most 20 characters.");
        if (action["sections"] is not JsonArray { Count: > 0 } sections) return Fail("Parameter interactive.action.sections is required (1 to 10 sections).");
        if (sections.Count > 10) return Fail($"Sections count is {sections.Count}, should be at most 10.");
        var rows = new List<ChatChoice>();
        foreach (var section in sections)
        {
            if (Text(section?["title"]) is { Length: > 24 }) return Fail("Parameter interactive.action.sections[].title must be at most 24 characters.");
            if (sections.Count > 1 && Text(section?["title"]) is not { Length: > 0 }) return Fail("Parameter interactive.action.sections[].title is required when there is more than one section.");
            if (section?["rows"] is not JsonArray { Count: > 0 } sectionRows) return Fail("Parameter interactive.action.sections[].rows is required.");
            foreach (var row in sectionRows)
            {
                var id = Text(row?["id"]);
                var title = Text(row?["title"]);
                var description = Text(row?["description"]);
                if (id is not { Length: > 0 and <= 200 }) return Fail("Parameter interactive.action.sections[].rows[].id is required, at most 200 characters.");
                if (title is not { Length: > 0 }) return Fail("Parameter interactive.action.sections[].rows[].title is required.");
                if (title.Length > 24) return Fail($"Row title length is {title.Length}, should be at most 24 characters: '{title}'.");
                if (description is { Length: > 72 }) return Fail($"Row description length is {description.Length}, should be at most 72 characters.");
                if (rows.Any(r => r.Id == id)) return Fail($"Row ids must be unique: '{id}'.");
                rows.Add(new ChatChoice(id, title, description));
            }
        }
        if (rows.Count > 10) return Fail($"Total row count is {rows.Count}, should be at most 10.");
        return Ok(new SendRequest("", "interactive", body, null, rows, label, null, null, null));
    }

    private static (SendRequest? Request, GraphError? Error) ReadTemplate(JsonObject root, TemplateCatalogue templates)
    {
        var template = root["template"] as JsonObject;
        if (Text(template?["name"]) is not { Length: > 0 } name) return Fail("Parameter template.name is required.");
        if (Text(template?["language"]?["code"]) is not { Length: > 0 } language) return Fail("Parameter template.language.code is required.");
        var parameters = new List<string>();
        var payloads = new SortedDictionary<int, string>();
        if (template!["components"] is JsonNode components)
        {
            if (components is not JsonArray list) return Fail("Parameter template.components must be an array.");
            foreach (var component in list)
            {
                switch (Text(component?["type"]))
                {
                    case "body":
                        if (component?["parameters"] is not JsonArray bodyParameters) return Fail("Parameter template.components[body].parameters must be an array.");
                        foreach (var parameter in bodyParameters)
                        {
                            if (Text(parameter?["type"]) != "text" || Text(parameter?["text"]) is not { } text) return Fail("Template body parameters must be {\"type\":\"text\",\"text\":\"...\"}.");
                            parameters.Add(text);
                        }
                        break;
                    case "button":
                        if (Text(component?["sub_type"]) != "quick_reply") return Fail("Template button components must have sub_type 'quick_reply'.");
                        if (!int.TryParse(Text(component?["index"]) ?? component?["index"]?.ToJsonString(), out var index) || index is < 0 or > 9)
                            return Fail("Template button components need an index from 0 to 9.");
                        if (component?["parameters"] is not JsonArray { Count: 1 } buttonParameters || buttonParameters[0] is not JsonObject payload
                            || Text(payload["type"]) != "payload" || Text(payload["payload"]) is not { Length: > 0 } id)
                            return Fail("A quick_reply button component needs one parameter {\"type\":\"payload\",\"payload\":\"...\"}.");
                        payloads[index] = id;
                        break;
                    case "header":
                        break;
                    default:
                        return Fail("Template components must be of type header, body or button.");
                }
            }
        }
        var known = templates.Find(name, language);
        if (known is null)
        {
            // A template the sandbox was not told about: accepted (Meta knows templates the sandbox does not), shown as name and parameters.
            var shown = parameters.Count == 0 ? name : $"{name}: {string.Join(" | ", parameters)}";
            var unknownButtons = payloads.Count == 0 ? null : payloads.Select(p => new ChatChoice(p.Value, p.Value)).ToList();
            return Ok(new SendRequest("", "template", shown, unknownButtons, null, null, name, language, null));
        }
        var expected = TemplateCatalogue.PlaceholderCount(known.Body);
        if (parameters.Count != expected) return (null, GraphError.ParameterCount($"Template {name} ({language}) expects {expected} body parameters, got {parameters.Count}."));
        if (payloads.Keys.Any(i => i >= known.Buttons.Count)) return Fail($"Template {name} ({language}) has {known.Buttons.Count} quick-reply buttons.");
        // A quick-reply button without a payload component answers with its label as the payload, as Meta's do.
        var buttons = known.Buttons.Count == 0 ? null : known.Buttons.Select((title, i) => new ChatChoice(payloads.GetValueOrDefault(i) ?? title, title)).ToList();
        return Ok(new SendRequest("", "template", TemplateCatalogue.Fill(known.Body, parameters), buttons, null, null, name, language, null));
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static (SendRequest? Request, GraphError? Error) Ok(SendRequest request) => (request, null);

    private static (SendRequest? Request, GraphError? Error) Fail(string details) => (null, GraphError.InvalidParameter(details));

    [GeneratedRegex(@"^\+?[1-9][0-9]{6,14}$")]
    private static partial Regex Recipient();
}
