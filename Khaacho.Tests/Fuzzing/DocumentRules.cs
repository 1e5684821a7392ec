using System.Text.Json;
using Microsoft.OpenApi;

namespace Khaacho.Tests.Fuzzing;

/// <summary>Every answer is one the document promises for the operation: a listed status, with a listed content type.</summary>
public static class DocumentRules
{
    /// <returns>How the response differs from the document, or null when it matches.</returns>
    public static string? Violation(FuzzRequest request, HttpResponseMessage response, string body)
    {
        // Another method on the path is another operation, or none (405): not this operation's document.
        if (request.Method != request.Operation.Method || request.OtherRoute || ResponseRules.RefusedByKestrel(response, body)) return null;
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!request.Operation.Responses.TryGetValue(status, out var documented) && !request.Operation.Responses.TryGetValue("default", out documented))
            return $"{status} is not documented for {request.Operation.Name} (documented: {string.Join(", ", request.Operation.Responses.Keys)})";
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var listed = documented.Content?.Keys.ToList() ?? [];
        if (mediaType is null) return listed.Count == 0 || body.Length == 0 ? null : $"{status} without a content type; documented: {string.Join(", ", listed)}";
        if (!listed.Contains(mediaType)) return $"{status} as {mediaType}, documented: {(listed.Count == 0 ? "no content" : string.Join(", ", listed))}";
        if (documented.Content![mediaType].Schema is not { } schema || body.Length == 0) return null;
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
}
