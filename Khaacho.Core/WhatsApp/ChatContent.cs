using System.Text.Json;
using System.Text.Json.Serialization;

namespace Khaacho.Core.WhatsApp;

/// <summary>A reply button or list row: what the user taps (<see cref="Title"/>) and what comes back (<see cref="Id"/>).</summary>
public sealed record ChatOption(string Id, string Title, string? Description = null);

/// <summary>Which of the registered templates (<see cref="WhatsAppTemplates"/>) carries a message outside the window.</summary>
public enum TemplateKind
{
    NewOrder,
    OrderUpdate,
    /// <summary>A notice about the retailer's account rather than one order: a payment, a reminder, a hold.</summary>
    AccountUpdate,
}

/// <summary>A template and its body parameters, sent when free text is not allowed (outside the window); quick replies carry these ids back.</summary>
public sealed record ChatTemplate(TemplateKind Kind, IReadOnlyList<string> Parameters, IReadOnlyList<string>? QuickReplies = null);

/// <summary>
/// What a message offers beside its text: up to 3 reply buttons, or a list of up to 10 options behind
/// <see cref="ListButton"/>, and the template to use instead outside Meta's 24-hour window.
/// </summary>
public sealed record ChatContent(
    IReadOnlyList<ChatOption>? Buttons = null,
    string? ListButton = null,
    IReadOnlyList<ChatOption>? Options = null,
    ChatTemplate? Template = null)
{
    public const int MaxButtons = 3;
    public const int MaxOptions = 10;
    public const int MaxButtonTitle = 20;
    public const int MaxOptionTitle = 24;

    public string ToJson() => JsonSerializer.Serialize(this, ChatJsonContext.Default.ChatContent);

    public static ChatContent? FromJson(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, ChatJsonContext.Default.ChatContent);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChatContent))]
[JsonSerializable(typeof(ChatDraft))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
