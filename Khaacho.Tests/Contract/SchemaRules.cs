using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace Khaacho.Tests.Contract;

/// <summary>
/// A JSON body against the operation's documented schema: the JSON Schema keywords the document uses (type with null,
/// properties, required, additionalProperties, items, enum, oneOf/anyOf, pattern, uuid, int32 and date-time formats). Enough for a
/// strict generated client's view; not a general validator.
/// </summary>
public static partial class SchemaRules
{
    /// <returns>Where and how <paramref name="value"/> breaks <paramref name="schema"/>, or null when it conforms.</returns>
    public static string? Violation(IOpenApiSchema schema, JsonElement value, string path = "$", int depth = 0)
    {
        if (depth > 32) return null;
        var alternatives = (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).ToList();
        if (alternatives.Count > 0)
            return alternatives.Any(a => Violation(a, value, path, depth + 1) is null) ? null : $"{path}: matches none of its {alternatives.Count} alternatives";
        if (schema.Type is { } type && !Allows(type, value)) return $"{path}: {value.ValueKind} where the document says {type}";
        if (schema.Enum is { Count: > 0 } values && !values.Any(e => e?.ToJsonString() == value.GetRawText())) return $"{path}: {value.GetRawText()} is not one of its values";
        switch (value.ValueKind)
        {
            case JsonValueKind.String when schema.Format == "uuid" && !Guid.TryParse(value.GetString(), out _):
            case JsonValueKind.String when schema.Format == "date-time" && !IsDateTime(value.GetString()!):
                return $"{path}: '{value.GetString()}' is not a {schema.Format}";
            case JsonValueKind.Number when schema.Format == "int32" && !value.TryGetInt32(out _):
                return $"{path}: {value.GetRawText()} is not an int32";
            case JsonValueKind.String when schema.Pattern is { } pattern && !Regex.IsMatch(value.GetString()!, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)):
                return $"{path}: '{value.GetString()}' does not match {pattern}";
            case JsonValueKind.Object:
                foreach (var required in schema.Required ?? new HashSet<string>())
                    if (!value.TryGetProperty(required, out _)) return $"{path}: required '{required}' is missing";
                foreach (var property in value.EnumerateObject())
                {
                    if (schema.Properties?.TryGetValue(property.Name, out var propertySchema) == true)
                    {
                        if (Violation(propertySchema, property.Value, $"{path}.{property.Name}", depth + 1) is { } inner) return inner;
                    }
                    else if (schema.AdditionalProperties is { } extra)
                    {
                        if (Violation(extra, property.Value, $"{path}.{property.Name}", depth + 1) is { } inner) return inner;
                    }
                    else if (!schema.AdditionalPropertiesAllowed) return $"{path}: '{property.Name}' is not in the document";
                }
                return null;
            case JsonValueKind.Array when schema.Items is { } items:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    if (Violation(items, item, $"{path}[{index++}]", depth + 1) is { } inner) return inner;
                return null;
        }
        return null;
    }

    /// <summary>RFC 3339 (what JSON Schema's date-time means): a date, 'T', a time and an offset or Z.</summary>
    private static bool IsDateTime(string text) =>
        DateTimeRfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRfc3339();

    private static bool Allows(JsonSchemaType type, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => type.HasFlag(JsonSchemaType.Null),
        JsonValueKind.String => type.HasFlag(JsonSchemaType.String),
        JsonValueKind.True or JsonValueKind.False => type.HasFlag(JsonSchemaType.Boolean),
        JsonValueKind.Number => type.HasFlag(JsonSchemaType.Number) || (type.HasFlag(JsonSchemaType.Integer) && value.TryGetInt64(out _)),
        JsonValueKind.Object => type.HasFlag(JsonSchemaType.Object),
        JsonValueKind.Array => type.HasFlag(JsonSchemaType.Array),
        _ => false,
    };
}
