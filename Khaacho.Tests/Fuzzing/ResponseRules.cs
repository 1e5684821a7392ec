using System.Net;
using System.Text.Json;
using Khaacho.Tests.Contract;

namespace Khaacho.Tests.Fuzzing;

/// <summary>The property every answer must have: never a 5xx, and every 4xx an RFC 7807 problem with its own status.</summary>
public static class ResponseRules
{
    /// <returns>Why the response breaks the property, or null when it holds.</returns>
    public static string? Violation(FuzzRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return $"{status} for client input: {Trim(body)}";
        if (status < 400 || DocumentRules.RefusedByKestrel(response, body)) return null;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType != "application/problem+json") return $"{status} as '{mediaType ?? "no content type"}', not application/problem+json: {Trim(body)}";
        if (request.Method == "HEAD") return null; // no body, by definition
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status) return $"{status} with a problem whose status is not {status}: {Trim(body)}";
            if (!problem.RootElement.TryGetProperty("title", out _)) return $"{status} with a problem without a title: {Trim(body)}";
        }
        catch (JsonException)
        {
            return $"{status} whose problem+json body is not JSON: {Trim(body)}";
        }
        return null;
    }

    private static string Trim(string body) => body.Length > 300 ? body[..300] + "…" : body;
}
