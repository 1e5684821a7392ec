using System.Text.Json;
using System.Text.Json.Serialization;

namespace Khaacho.Core.Messaging;

/// <summary>The body of an orders or ai stream message: which order, and the partition it lives in.</summary>
public sealed record OrderMessage(Guid OrderId, DateTimeOffset CreatedAt, string Step)
{
    public string ToJson() => JsonSerializer.Serialize(this, MessagingJsonContext.Default.OrderMessage);

    public static OrderMessage FromJson(string json) =>
        JsonSerializer.Deserialize(json, MessagingJsonContext.Default.OrderMessage)
        ?? throw new JsonException("Empty order message.");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OrderMessage))]
internal sealed partial class MessagingJsonContext : JsonSerializerContext;
