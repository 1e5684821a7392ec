using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Khaacho.Api.Hosting;

/// <summary>
/// Strings are read through <see cref="ClientText.Converter"/>, and a custom converter hides the type from the schema
/// generator (it would document every string as "any"): say "string" again, nullable where the property is.
/// </summary>
internal static class OpenApiStrings
{
    public static OpenApiOptions DocumentStringsAsStrings(this OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        if (context.JsonTypeInfo.Type == typeof(string) && schema is OpenApiSchema { Type: null } concrete)
        {
            concrete.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
        return Task.CompletedTask;
    });
}
