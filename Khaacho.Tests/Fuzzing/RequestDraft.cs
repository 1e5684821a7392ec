using Khaacho.Tests.Contract;

namespace Khaacho.Tests.Fuzzing;

/// <summary>A request being built: valid values first, then one mutation changes it.</summary>
public sealed class RequestDraft(ApiOperation operation)
{
    public string Method { get; set; } = operation.Method;
    public string Principal { get; set; } = "anonymous";
    public Dictionary<string, List<string>> Raw { get; } = [];
    public List<(string Name, string Json)> Body { get; set; } = [];
    public List<(string Name, string Value)> Headers { get; } = [];
    public string? ContentType { get; set; } = operation.Body is null ? null : "application/json";
    public bool SendBody { get; set; } = operation.Body is not null;
    public Func<string, string> BodyText { get; set; } = json => json;
    public Func<byte[], byte[]> BodyBytes { get; set; } = bytes => bytes;

    public FuzzRequest Build(string mutation)
    {
        var path = operation.Path;
        var otherRoute = false;
        foreach (var (name, values) in Raw.Where(r => path.Contains($"{{{r.Key}}}")))
        {
            var value = values.FirstOrDefault() ?? "";
            // An empty, "." or ".." segment makes it another path: another operation's document applies, or none.
            otherRoute |= value.Trim() is "" or "." or "..";
            path = path.Replace($"{{{name}}}", Escape(value), StringComparison.Ordinal);
        }
        otherRoute |= operation.Parameters.Any(p => p.In == Microsoft.OpenApi.ParameterLocation.Path && !Raw.ContainsKey(p.Name!));
        var query = string.Join("&", Raw.Where(r => !operation.Path.Contains($"{{{r.Key}}}") && !IsHeader(r.Key))
            .SelectMany(r => r.Value.Select(v => $"{Uri.EscapeDataString(r.Key)}={Escape(v)}")));
        var headers = Headers.Concat(Raw.Where(r => IsHeader(r.Key)).SelectMany(r => r.Value.Select(v => (r.Key, HeaderSafe(v))))).ToList();
        var body = SendBody ? BodyBytes(JsonText.Utf8(BodyText(JsonText.Object(Body)))) : null;
        if (otherRoute) path = path.Replace($"{{{operation.Parameters.FirstOrDefault(p => p.In == Microsoft.OpenApi.ParameterLocation.Path)?.Name}}}", "", StringComparison.Ordinal);
        return new FuzzRequest(operation, Method, query.Length == 0 ? path : $"{path}?{query}", Principal, headers, body, ContentType, mutation, otherRoute);
    }

    private static bool IsHeader(string name) => name.Contains('-') && char.IsUpper(name[0]);

    /// <summary>URL-escaped, and short enough that the request line stays under Kestrel's 8 KB (its 414 is Kestrel's, not the app's).</summary>
    private static string Escape(string value)
    {
        var escaped = Uri.EscapeDataString(new string([.. value.Select(c => char.IsSurrogate(c) ? '\ufffd' : c)]));
        if (escaped.Length <= 2000) return escaped;
        var cut = escaped.LastIndexOf('%', 2000);
        return escaped[..(cut > 1990 ? cut : 2000)];
    }

    /// <summary>Printable ASCII only: anything else is refused by HttpClient or by Kestrel before the app sees it.</summary>
    public static string HeaderSafe(string value)
    {
        var text = new string([.. value.Where(c => c is >= ' ' and <= '~')]);
        return text.Length > 4000 ? text[..4000] : text;
    }
}
