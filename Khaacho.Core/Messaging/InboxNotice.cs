using System.Text.Json;
using System.Text.Json.Serialization;

namespace Khaacho.Core.Messaging;

/// <summary>The body of a whatsapp stream message: handle inbox row <paramref name="InboxId"/>.</summary>
public sealed record InboxNotice(string InboxId)
{
    public string ToJson() => JsonSerializer.Serialize(this, InboxNoticeJsonContext.Default.InboxNotice);

    public static InboxNotice FromJson(string json) =>
        JsonSerializer.Deserialize(json, InboxNoticeJsonContext.Default.InboxNotice) ?? throw new JsonException("Empty inbox notice.");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InboxNotice))]
internal sealed partial class InboxNoticeJsonContext : JsonSerializerContext;
