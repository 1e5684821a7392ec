using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Khaacho.Api.Hosting;

/// <summary>
/// The one rule for text a client sends: no control characters (PostgreSQL refuses NUL; the others corrupt logs,
/// terminals and notifications), no bidirectional overrides (they make a note display as something else), and
/// composed Unicode (NFC), so "चिनी" typed on two keyboards is one string. Tab, line feed and carriage return stay:
/// chat orders are written in lines.
/// </summary>
public static class ClientText
{
    /// <summary>Why <paramref name="text"/> is refused, or null when it is acceptable.</summary>
    public static string? Problem(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsDisallowed(c))
                return $"Contains the control character U+{(int)c:X4} at position {i.ToString(CultureInfo.InvariantCulture)}; remove it.";
        }
        return null;
    }

    private static bool IsDisallowed(char c) => c switch
    {
        '\t' or '\n' or '\r' => false,
        < '\u0020' or (>= '\u007F' and <= '\u009F') => true,
        (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') => true,
        _ => false,
    };

    /// <summary>Every JSON string in a request body passes here, so no endpoint can forget the rule.</summary>
    public sealed class Converter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString()!;
            if (Problem(value) is { } problem) throw new JsonException(problem);
            return value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        // A converter for string is also asked for dictionary keys (the "errors" of a validation problem among them).
        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Read(ref reader, typeToConvert, options)!;

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
    }
}
