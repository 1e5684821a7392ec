namespace Khaacho.Tests.Contract;

/// <summary>The api's served OpenAPI document, read once per started system: which operation a request is for.</summary>
public sealed class ApiDocument(IReadOnlyList<ApiOperation> operations)
{
    public const string Url = "/openapi/v1.json";

    /// <summary>
    /// What the api serves outside its document, and so answers unchecked: health, metrics and the document itself. The
    /// operations the document has are everything else; a request for any other path is a test calling what no client can know.
    /// </summary>
    public static readonly IReadOnlySet<string> OutsideTheDocument = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "/health/live", "/health/ready", "/metrics", Url,
    };

    public IReadOnlyList<ApiOperation> Operations { get; } = operations;

    public static async Task<ApiDocument> ReadAsync(HttpClient api) => new(ApiOperation.Read(await api.GetStringAsync(Url)));

    /// <summary>The operation for this method and path: literal segments win over parameters, as in routing.</summary>
    public ApiOperation? Find(string method, string path) => Operations
        .Where(o => o.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && o.Matches(path))
        .MaxBy(o => o.LiteralSegments);
}
