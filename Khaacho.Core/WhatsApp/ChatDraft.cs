using System.Text.Json;

namespace Khaacho.Core.WhatsApp;

/// <summary>A line as the retailer will get it: product, quantity.</summary>
public sealed record DraftLine(Guid ProductId, string ProductCode, string ProductName, int Quantity);

/// <summary>A line the parser could not settle, and the products it could mean.</summary>
public sealed record DraftQuestion(string SourceText, int Quantity, IReadOnlyList<DraftLine> Choices);

/// <summary>
/// A chat order between the retailer's message and their Confirm: the lines read so far, the questions still open,
/// and the inbound message it came from (<see cref="Id"/>, the idempotency key that makes Confirm place it once).
/// </summary>
/// <param name="LeftOut">Parts of the message that matched no product: shown in the read-back, not ordered.</param>
/// <param name="VendorId">The vendor the read-back named: the order's preference once confirmed.</param>
/// <param name="Clarifies">An order waiting for clarification that Confirm continues instead of placing a new one.</param>
public sealed record ChatDraft(string Id, string Text, IReadOnlyList<DraftLine> Lines, IReadOnlyList<DraftQuestion> Questions, IReadOnlyList<string> LeftOut, Guid? VendorId = null)
{
    public Guid? Clarifies { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ChatJsonContext.Default.ChatDraft);

    public static ChatDraft? FromJson(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, ChatJsonContext.Default.ChatDraft);
}
