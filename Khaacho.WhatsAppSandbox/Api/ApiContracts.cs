using System.Text.Json;
using System.Text.Json.Serialization;
using Khaacho.WhatsAppSandbox.Chat;
using Microsoft.AspNetCore.Mvc;

namespace Khaacho.WhatsAppSandbox.Api;

/// <param name="From">The contact's phone, E.164 (<c>+977...</c>).</param>
/// <param name="Text">A text message.</param>
/// <param name="Reply">The id of a reply button, list row or template quick-reply button the business offered this contact.</param>
/// <param name="Kind">A message kind Khaacho does not read: <c>image</c>, <c>audio</c>, <c>location</c> or <c>reaction</c>.</param>
public sealed record InboundRequest(string? From, string? Text, string? Reply, string? Kind);

/// <param name="Id">The inbound message's wamid.</param>
/// <param name="WebhookStatus">What the webhook answered the first attempt; null when nothing answered.</param>
/// <param name="Status">The message's webhook state: the answer, and ", retrying" while retries go on.</param>
public sealed record InboundAnswer(string Id, int? WebhookStatus, string Status);

public sealed record ChoiceView(string Id, string Title, string? Description);

public sealed record MessageView(
    string Id, string Direction, string Type, string? Text, IReadOnlyList<ChoiceView>? Buttons, IReadOnlyList<ChoiceView>? Options,
    string? OptionsLabel, string? Template, string? Language, DateTimeOffset Timestamp, string Status, int? Attempts, System.Text.Json.Nodes.JsonNode? Errors)
{
    public static MessageView Of(ChatMessage message) => new(
        message.Id,
        message.Direction == Chat.Direction.In ? "in" : "out",
        message.Type,
        message.Text,
        Choices(message.Buttons),
        Choices(message.Options),
        message.OptionsLabel,
        message.Template,
        message.Language,
        message.Timestamp,
        message.Status,
        message.Direction == Chat.Direction.In ? message.Attempts : null,
        message.Errors?.DeepClone());

    private static List<ChoiceView>? Choices(IReadOnlyList<ChatChoice>? choices) =>
        choices?.Select(c => new ChoiceView(c.Id, c.Title, c.Description)).ToList();
}

public sealed record LastInboundRequest(DateTimeOffset? At);

public sealed record FaultRequest(int Code, int? Count);

public sealed record FaultsView(IReadOnlyList<int> Pending, IReadOnlyList<int> Supported);

public sealed record HandshakeView(string State, string? Answer, int Attempts, DateTimeOffset? At);

public sealed record DeliveriesView(long Delivered, long Retried, long Failed);

public sealed record StatusView(string WebhookUrl, string GraphApiUrl, string PhoneNumberId, HandshakeView Handshake, DeliveriesView Deliveries, IReadOnlyList<int> Faults);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(InboundRequest))]
[JsonSerializable(typeof(InboundAnswer))]
[JsonSerializable(typeof(List<MessageView>))]
[JsonSerializable(typeof(IReadOnlyList<DemoContact>))]
[JsonSerializable(typeof(LastInboundRequest))]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(FaultsView))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
