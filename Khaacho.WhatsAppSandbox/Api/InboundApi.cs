using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Hosting;
using Khaacho.WhatsAppSandbox.Webhook;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Api;

/// <summary>
/// <c>POST /api/inbound</c>: a contact writes. The message becomes Meta's webhook payload (text, a reply to a button or
/// list the business sent, or an image, audio, location or reaction), is signed and posted to the webhook; the answer
/// is the webhook's status code.
/// </summary>
public static partial class InboundApi
{
    public static readonly string[] UnsupportedKinds = ["image", "audio", "location", "reaction"];

    public static void MapInboundApi(this IEndpointRouteBuilder app) => app.MapPost("/api/inbound", PostAsync);

    private static async Task<IResult> PostAsync(
        InboundRequest request, ChatStore store, DemoContacts contacts, WebhookPayloads payloads, WebhookDelivery delivery,
        IOptions<SandboxOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.From is not { } from || !Phone().IsMatch(from))
            return Invalid("from", "The sender's phone in E.164 form, e.g. +9779800000001.");
        var given = new[] { request.Text, request.Reply, request.Kind }.Count(v => v is not null);
        if (given != 1) return Invalid("text", "Exactly one of text, reply and kind.");

        var id = MessageIds.NewWamid();
        var now = clock.GetUtcNow();
        var wire = new JsonObject { ["from"] = MessageIds.WaId(from), ["id"] = id, ["timestamp"] = MessageIds.UnixSeconds(now) };
        string type;
        string? text;
        if (request.Text is { } body)
        {
            if (body.Length is 0 or > 4096) return Invalid("text", "Between 1 and 4096 characters.");
            (type, text) = ("text", body);
            wire["type"] = type;
            wire["text"] = new JsonObject { ["body"] = body };
        }
        else if (request.Reply is { } reply)
        {
            if (Offered(store.Conversation(from), reply) is not ({ } offer, { } choice)) return Invalid("reply", $"No message to {from} offers a button or option with id '{reply}'.");
            (type, text) = Reply(wire, offer, choice, options.Value.DisplayPhoneNumber);
        }
        else
        {
            if (!UnsupportedKinds.Contains(request.Kind)) return Invalid("kind", $"One of {string.Join(", ", UnsupportedKinds)}.");
            var latest = store.Conversation(from).LastOrDefault();
            if (request.Kind == "reaction" && latest is null) return Invalid("kind", $"A reaction needs a message to react to; {from} has none yet.");
            (type, text) = (request.Kind!, null);
            wire["type"] = type;
            wire[type] = Media(type, latest);
        }

        var message = new ChatMessage
        {
            Id = id,
            Phone = from,
            Direction = Direction.In,
            Type = type,
            Text = text,
            Timestamp = now,
            Payload = payloads.Message(from, contacts.ProfileName(from), wire),
        };
        store.Add(message);
        var answer = await delivery.DeliverMessageAsync(message, cancellationToken);
        return Results.Json(new InboundAnswer(id, answer, message.Status), SandboxJsonContext.Default.InboundAnswer, statusCode: answer ?? StatusCodes.Status502BadGateway);
    }

    /// <summary>The latest message to the contact that offers <paramref name="id"/>, and the choice itself.</summary>
    private static (ChatMessage, ChatChoice)? Offered(IReadOnlyList<ChatMessage> conversation, string id)
    {
        foreach (var message in conversation.Where(m => m.Direction == Direction.Out).Reverse())
        {
            if ((message.Buttons ?? []).Concat(message.Options ?? []).FirstOrDefault(c => c.Id == id) is { } choice) return (message, choice);
        }
        return null;
    }

    private static (string Type, string Text) Reply(JsonObject wire, ChatMessage offer, ChatChoice choice, string displayPhoneNumber)
    {
        wire["context"] = new JsonObject { ["from"] = displayPhoneNumber, ["id"] = offer.Id };
        if (offer.Template is not null)
        {
            // A template's quick-reply button comes back as type "button" with the payload the send gave it.
            wire["type"] = "button";
            wire["button"] = new JsonObject { ["payload"] = choice.Id, ["text"] = choice.Title };
            return ("button", choice.Title);
        }
        wire["type"] = "interactive";
        wire["interactive"] = offer.Options is not null
            ? new JsonObject
            {
                ["type"] = "list_reply",
                ["list_reply"] = choice.Description is null
                    ? new JsonObject { ["id"] = choice.Id, ["title"] = choice.Title }
                    : new JsonObject { ["id"] = choice.Id, ["title"] = choice.Title, ["description"] = choice.Description },
            }
            : new JsonObject { ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = choice.Id, ["title"] = choice.Title } };
        return ("interactive", choice.Title);
    }

    /// <summary>What Meta sends for the kinds Khaacho only answers politely: a media id to download, a place, or an emoji on a message.</summary>
    private static JsonObject Media(string kind, ChatMessage? latest) => kind switch
    {
        "image" => new JsonObject { ["mime_type"] = "image/jpeg", ["sha256"] = Sha256Hex(), ["id"] = MessageIds.NewDigits(16) },
        "audio" => new JsonObject { ["mime_type"] = "audio/ogg; codecs=opus", ["sha256"] = Sha256Hex(), ["id"] = MessageIds.NewDigits(16), ["voice"] = true },
        "location" => new JsonObject { ["latitude"] = 27.7172, ["longitude"] = 85.324, ["name"] = "Asan Tole", ["address"] = "Asan, Kathmandu 44600, Nepal" },
        _ => new JsonObject { ["message_id"] = latest!.Id, ["emoji"] = "\U0001F44D" },
    };

    private static string Sha256Hex() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static IResult Invalid(string field, string problem) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [problem] });

    [GeneratedRegex(SandboxOptions.E164)]
    private static partial Regex Phone();
}
