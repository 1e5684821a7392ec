using System.Text.Json;
using System.Text.Json.Serialization;
using Khaacho.Core.Notifications;

namespace Khaacho.Core.Messaging;

/// <summary>The body of a notifications stream message: deliver stored notification <paramref name="NotificationId"/> (this text to this retailer or vendor about that order).</summary>
public sealed record NotificationMessage(Guid NotificationId, Guid? OrderId, RecipientKind RecipientKind, Guid RecipientId, string Kind, string Text)
{
    public string ToJson() => JsonSerializer.Serialize(this, NotificationJsonContext.Default.NotificationMessage);

    public static NotificationMessage FromJson(string json) =>
        JsonSerializer.Deserialize(json, NotificationJsonContext.Default.NotificationMessage) ?? throw new JsonException("Empty notification message.");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(NotificationMessage))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
