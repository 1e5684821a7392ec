using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Khaacho.Tests.Contract;

/// <summary>One operation of the served OpenAPI document: what the fuzzer generates requests from, and what answers are checked against.</summary>
public sealed record ApiOperation(
    string Method, string Path, IReadOnlyList<IOpenApiParameter> Parameters, IOpenApiSchema? Body, bool Anonymous,
    IReadOnlyDictionary<string, IOpenApiResponse> Responses)
{
    public string Name => $"{Method} {Path}";

    public override string ToString() => Name;

    /// <summary>How many of the path template's segments are literal: "/orders/parse" is preferred to "/orders/{id}".</summary>
    public int LiteralSegments => Path.Split('/').Count(s => !IsParameter(s));

    /// <summary>Whether a request path is this template: literals equal (routing ignores case), each {parameter} one non-empty segment.</summary>
    public bool Matches(string requestPath)
    {
        var template = Path.Split('/');
        var segments = (requestPath.Length > 1 ? requestPath.TrimEnd('/') : requestPath).Split('/');
        if (template.Length != segments.Length) return false;
        for (var i = 0; i < template.Length; i++)
        {
            var segment = Uri.UnescapeDataString(segments[i]);
            if (IsParameter(template[i]) ? segment.Length == 0 : !template[i].Equals(segment, StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    public static IReadOnlyList<ApiOperation> Read(string json)
    {
        var result = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.True(result.Document is not null, string.Join("; ", result.Diagnostic?.Errors.Select(e => e.Message) ?? []));
        return [.. from path in result.Document!.Paths
                   from operation in path.Value.Operations ?? []
                   select new ApiOperation(
                       operation.Key.Method, path.Key,
                       [.. (path.Value.Parameters ?? []).Concat(operation.Value.Parameters ?? [])],
                       operation.Value.RequestBody?.Content?.TryGetValue("application/json", out var media) == true ? media.Schema : null,
                       operation.Value.Security is { Count: 0 },
                       operation.Value.Responses?.ToDictionary(r => r.Key, r => r.Value) ?? [])];
    }
}
