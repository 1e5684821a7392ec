using System.Text;
using CsCheck;
using Khaacho.Tests.Contract;

namespace Khaacho.Tests.Fuzzing;

/// <summary>One change to an otherwise valid request, named for the failure report.</summary>
public sealed record Mutation(string Name, Action<RequestDraft> Apply)
{
    public static readonly Mutation None = new("valid", _ => { });

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json; charset=nonsense", "application/json; charset=\"utf-8\"", "application/json; charset=latin1", "application/problem+json",
        "application/merge-patch+json", "application/jsonx", "*/*", "application/*", "application", "", ";", "application/json; a=b; a=c",
    ];

    private static readonly string[] Accepts = ["text/html", "application/xml", "image/png", "*/*", "application/json;q=0", "application/problem+json", "text/*", "nonsense"];

    private static readonly string[] Methods = ["PUT", "DELETE", "HEAD", "OPTIONS", "GET", "POST", "PATCH"];

    private static readonly string[] BadTokens =
    [
        "", "garbage", "a.b.c", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIwMTkzMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDAiLCJyb2xlIjoiYWRtaW4iLCJpc3MiOiJraGFhY2hvIiwiYXVkIjoia2hhYWNoby1hcGkifQ.",
        new string('A', 6000),
    ];

    /// <summary>Mutations of one field: a hostile value, the field left out, or the field twice.</summary>
    public static Gen<Mutation> OfField(RequestField field, Gen<string> validElement) => field.Location switch
    {
        FieldLocation.Body => Gen.Frequency(
            (5, HostileValues.JsonFragment.Select(json => new Mutation($"{field}={Short(json)}", d => Set(d, field.Name, json)))),
            (1, Gen.Const(new Mutation($"{field} missing", d => d.Body.RemoveAll(m => m.Name == field.Name)))),
            (1, HostileValues.JsonFragment.Select(json => new Mutation($"{field} twice", d => d.Body.Add((field.Name, json)))))),
        FieldLocation.Element => Gen.Select(HostileValues.JsonFragment, validElement, (json, line) => new Mutation($"{field}={Short(json)}",
            d => Set(d, "items", JsonText.Array([WithMember(line, field.Name, json)])))),
        _ => Gen.Frequency(
            (5, HostileValues.RawText.Select(text => new Mutation($"{field}={Short(text)}", d => d.Raw[field.Name] = [text]))),
            (1, Gen.Const(new Mutation($"{field} missing", d => d.Raw.Remove(field.Name)))),
            (1, HostileValues.RawText.Select(text => new Mutation($"{field} twice", d => d.Raw[field.Name] = [.. d.Raw.GetValueOrDefault(field.Name) ?? ["1"], text])))),
    };

    /// <summary>Mutations of the request as a whole: its body's shape and bytes, content type, method and headers.</summary>
    public static Gen<Mutation> OfRequest(ApiOperation operation, FuzzContext context) => Gen.OneOf(
        Gen.OneOf(ContentTypes).Select(ct => new Mutation($"Content-Type: {ct}", d => { d.ContentType = ct; d.SendBody = true; })),
        Gen.Const(new Mutation("no Content-Type", d => d.ContentType = null)),
        Gen.Const(new Mutation("no body", d => d.SendBody = false)),
        HostileValues.JsonFragment.Select(json => new Mutation($"body={Short(json)}", d => { d.SendBody = true; d.ContentType ??= "application/json"; d.BodyText = _ => json; })),
        Gen.OneOf("{", "{\"a\"", "{}x", "{} {}", "\ufeff{}", "{'a':1}", "{\"a\":1,}", "/* c */ {}", "{\"a\":\"\\x\"}").Select(text =>
            new Mutation($"malformed body {text}", d => { d.SendBody = true; d.BodyText = _ => text; })),
        Gen.Const(new Mutation("unknown property", d => d.Body.Add(("colour", "\"red\"")))),
        Gen.Int[0, 100].SelectMany(at => Gen.OneOf<byte[]>([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x00]).Select(bad =>
            new Mutation($"invalid UTF-8 {Convert.ToHexString(bad)} at {at}%", d => d.BodyBytes = bytes => Insert(bytes, at, bad)))),
        Gen.OneOf(Accepts).Select(accept => new Mutation($"Accept: {accept}", d => d.Headers.Add(("Accept", accept)))),
        Gen.OneOf(Methods).Select(method => new Mutation($"method {method}", d => d.Method = method)),
        Gen.OneOf(BadTokens).Select(token => new Mutation($"bad token {Short(token)}", d => SetToken(d, token))),
        Gen.OneOf("Basic dXNlcjpwYXNz", "Bearer", "bearer x", "Bearer  x", "Token x").Select(value => new Mutation($"Authorization: {value}", d =>
        {
            d.Headers.RemoveAll(h => h.Name == "Authorization");
            d.Headers.Add(("Authorization", value));
        })),
        Gen.OneOf([.. context.Principals.Where(p => p.Token is not null).Select(p => Gen.Const(p))]).Select(other => new Mutation($"second token of {other.Name}",
            d => d.Headers.Add(("Authorization", $"Bearer {other.Token}")))),
        Gen.Const(new Mutation("Idempotency-Key twice", d => { d.Headers.Add(("Idempotency-Key", "a")); d.Headers.Add(("Idempotency-Key", "b")); })));

    private static void Set(RequestDraft draft, string name, string json)
    {
        draft.Body.RemoveAll(m => m.Name == name);
        draft.Body.Add((name, json));
    }

    private static void SetToken(RequestDraft draft, string token)
    {
        draft.Headers.RemoveAll(h => h.Name == "Authorization");
        draft.Headers.Add(("Authorization", $"Bearer {token}"));
    }

    /// <summary>The order line with its member <paramref name="name"/> set to <paramref name="json"/>, added when the line lacks it.</summary>
    private static string WithMember(string line, string name, string json)
    {
        var member = $"{JsonText.Literal(name)}:{json}";
        var start = line.IndexOf(JsonText.Literal(name) + ":", StringComparison.Ordinal);
        if (start < 0) return "{" + member + "," + line[1..];
        var end = line.IndexOfAny([',', '}'], start);
        return line[..start] + member + line[end..];
    }

    private static byte[] Insert(byte[] bytes, int percent, byte[] bad)
    {
        var at = bytes.Length * percent / 100;
        return [.. bytes[..at], .. bad, .. bytes[at..]];
    }

    private static string Short(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Length > 40 ? text[..40] : text) sb.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c);
        return text.Length > 40 ? $"{sb}…({text.Length})" : sb.ToString();
    }
}
