using System.Globalization;
using System.Text.Json;
using Microsoft.OpenApi;

namespace Khaacho.Tests.Contract;

/// <summary>
/// Every answer is one the document promises for its operation: a listed status (or <c>default</c>), a content type
/// listed for that status, the headers it lists as required, and a JSON body that is the schema listed for that content type.
/// </summary>
public static class DocumentRules
{
    /// <returns>How the response differs from the document, or null when it matches.</returns>
    public static string? Violation(ApiOperation operation, HttpResponseMessage response, string body)
    {
        if (RefusedByKestrel(response, body)) return null;
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(status, out var documented) && !operation.Responses.TryGetValue("default", out documented))
            return $"{status} is not documented (documented: {string.Join(", ", operation.Responses.Keys.Order())})";
        if (MissingHeader(documented, response) is { } header) return $"{status} {header}";
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var listed = documented.Content?.Keys.ToList() ?? [];
        var headRequest = response.RequestMessage?.Method == HttpMethod.Head;
        if (mediaType is null)
            return (listed.Count == 0 && body.Length == 0) || headRequest ? null
                : $"{status} without a content type{(body.Length == 0 ? " or body" : "")}; documented: {(listed.Count == 0 ? "no content" : string.Join(", ", listed))}";
        if (!listed.Contains(mediaType)) return $"{status} as {mediaType}, documented: {(listed.Count == 0 ? "no content" : string.Join(", ", listed))}";
        if (headRequest) return null; // no body, by definition
        if (documented.Content![mediaType].Schema is not { } schema) return null;
        // A text answer (the webhook handshake's challenge) is the string itself, not JSON.
        if (!mediaType.EndsWith("json", StringComparison.Ordinal))
            return schema.Type is null or JsonSchemaType.String ? null : $"{status} as {mediaType}, documented as {schema.Type} rather than text";
        try
        {
            using var json = JsonDocument.Parse(body);
            return SchemaRules.Violation(schema, json.RootElement) is { } mismatch ? $"{status} body differs from the document: {mismatch}" : null;
        }
        catch (JsonException)
        {
            return $"{status} as {mediaType} whose body is not JSON";
        }
    }

    /// <summary>A header the document says this answer carries: present, and an integer where it says integer (Retry-After).</summary>
    private static string? MissingHeader(IOpenApiResponse documented, HttpResponseMessage response)
    {
        foreach (var (name, header) in documented.Headers ?? new Dictionary<string, IOpenApiHeader>())
        {
            var values = response.Headers.TryGetValues(name, out var found) || response.Content.Headers.TryGetValues(name, out found) ? found.ToList() : [];
            if (values.Count == 0) { if (header.Required) return $"without its {name} header"; continue; }
            if (header.Schema?.Type == JsonSchemaType.Integer && !values.All(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                return $"with {name}: {string.Join(", ", values)}, not an integer";
        }
        return null;
    }

    /// <summary>
    /// Kestrel refuses malformed HTTP (a NUL in the path, a request line over 8 KB) itself, before any middleware runs:
    /// an empty answer that closes the connection. Not the app's answer, so not its document's: the request never reached it.
    /// </summary>
    public static bool RefusedByKestrel(HttpResponseMessage response, string body) =>
        (int)response.StatusCode is 400 or 414 or 431 && body.Length == 0 && response.Content.Headers.ContentType is null
        && response.Headers.ConnectionClose == true;
}
