using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Khaacho.Tests.Fuzzing;

/// <summary>One operation of the served OpenAPI document, as the fuzzer needs it.</summary>
public sealed record ApiOperation(
    string Method, string Path, IReadOnlyList<IOpenApiParameter> Parameters, IOpenApiSchema? Body, bool Anonymous,
    IReadOnlyDictionary<string, IOpenApiResponse> Responses)
{
    public string Name => $"{Method} {Path}";

    public override string ToString() => Name;

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
