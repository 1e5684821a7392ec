using System.Net.Http.Headers;
using System.Text;
using Khaacho.Tests.Contract;

namespace Khaacho.Tests.Fuzzing;

/// <summary>A generated request: what is sent, and a short description of it for a failure report.</summary>
public sealed record FuzzRequest(
    ApiOperation Operation, string Method, string PathAndQuery, string Principal, IReadOnlyList<(string Name, string Value)> Headers,
    byte[]? Body, string? ContentType, string Mutation, bool OtherRoute = false)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        // Another method on the path is another operation, or none (405); an emptied path segment another path.
        if (OtherRoute || Method != Operation.Method) message.Options.Set(DocumentedResponses.MayLeaveTheDocument, true);
        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        if (body.Length > 400) body = $"{body[..400]}… ({Body!.Length} bytes)";
        var headers = string.Join(", ", Headers.Select(h => $"{h.Name}: {(h.Name == "Authorization" ? Shorten(h.Value) : h.Value)}"));
        return $"[{Mutation}] {Method} {PathAndQuery} as {Principal} | {headers} | Content-Type: {ContentType} | {Escape(body)}";
    }

    private static string Shorten(string value) => value.Length > 24 ? value[..24] + "…" : value;

    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c);
        return sb.ToString();
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
