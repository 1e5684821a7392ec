using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Khaacho.Api.Hosting;

/// <summary>
/// Strings are read through <see cref="ClientText.Converter"/>, and a custom converter hides the type from the schema
/// generator: it would document every string as "any", and arrays and maps of strings (aliases, unmatched text, the
/// field errors of a 400, circuit states) as holding anything. Say "string" again, nullable where the property is.
/// </summary>
internal static class OpenApiStrings
{
    public static OpenApiOptions DocumentStringsAsStrings(this OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        if (schema is not OpenApiSchema concrete) return Task.CompletedTask;
        var type = context.JsonTypeInfo;
        if (type.Type == typeof(string) && concrete.Type is null)
        {
            concrete.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
        else if (type.ElementType == typeof(string) && type.Kind == JsonTypeInfoKind.Enumerable && concrete.Items is null or { Type: null })
        {
            concrete.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        else if (type.ElementType == typeof(string) && type.Kind == JsonTypeInfoKind.Dictionary && concrete.AdditionalProperties is null or { Type: null })
        {
            concrete.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        return Task.CompletedTask;
    });
}
