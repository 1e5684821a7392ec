using System.Text.Json.Nodes;

namespace Khaacho.WhatsAppSandbox.Chat;

public enum Direction
{
    In,
    Out,
}

/// <summary>A reply button or a list row the business offered: what a tap answers with.</summary>
public sealed record ChatChoice(string Id, string Title, string? Description = null);

/// <summary>
/// One message of a conversation. Outbound: what the Graph API accepted, with Meta's status (accepted, sent,
/// delivered, read, failed). Inbound: what the sandbox posted to the webhook, with the webhook's answer.
/// </summary>
public sealed class ChatMessage
{
    private readonly Lock gate = new();

    public required string Id { get; init; }
    public required string Phone { get; init; }
    public required Direction Direction { get; init; }

    /// <summary>Meta's message type: text, interactive, template (out); text, interactive, button, image, audio, location, reaction (in).</summary>
    public required string Type { get; init; }

    public string? Text { get; init; }
    public IReadOnlyList<ChatChoice>? Buttons { get; init; }
    public IReadOnlyList<ChatChoice>? Options { get; init; }

    /// <summary>A list message's button label ("Choose").</summary>
    public string? OptionsLabel { get; init; }

    public string? Template { get; init; }
    public string? Language { get; init; }

    /// <summary>The sender's <c>biz_opaque_callback_data</c>, echoed in every status callback.</summary>
    public string? CallbackData { get; init; }

    /// <summary>The Meta-shaped webhook payload of an inbound message, kept for retries (same wamid, same bytes).</summary>
    public byte[]? Payload { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public string Status { get; private set; } = "";
    public int Attempts { get; private set; }
    public JsonArray? Errors { get; private set; }

    /// <summary>Status callbacks of one message go out one after another, in order.</summary>
    internal Task Callbacks { get; set; } = Task.CompletedTask;

    internal Lock Gate => gate;

    private static readonly string[] OutboundOrder = ["accepted", "sent", "delivered", "read"];

    /// <summary>Moves an outbound message forward (never back: a late "delivered" does not undo "read"); failed is final.</summary>
    public bool Advance(string status, JsonArray? errors = null)
    {
        lock (gate)
        {
            if (Status == "failed") return false;
            if (status != "failed" && Array.IndexOf(OutboundOrder, status) <= Array.IndexOf(OutboundOrder, Status)) return false;
            Status = status;
            Errors = errors;
            return true;
        }
    }

    /// <summary>An inbound message's webhook attempt: its answer ("200", "500", "unreachable") and what happens next.</summary>
    public void RecordAttempt(string answer, bool final)
    {
        lock (gate)
        {
            Attempts++;
            Status = final ? answer : $"{answer}, retrying";
        }
    }
}
