using System.Text.Json;

namespace Khaacho.WhatsAppSandbox.Webhook;

internal static class WireJson
{
    /// <summary>
    /// As Meta's bodies: compact, with non-ASCII text (Devanagari, emoji) written as \u escapes. The signature covers
    /// these exact bytes, so a receiver that verifies a re-serialized body instead of the raw one fails, as with Meta.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);
}
