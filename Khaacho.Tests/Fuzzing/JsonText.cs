using System.Text;

namespace Khaacho.Tests.Fuzzing;

/// <summary>JSON written by hand, so a body can hold what a serializer never writes: lone surrogates, duplicate keys, raw non-ASCII.</summary>
public static class JsonText
{
    /// <summary>A JSON string literal: control characters and surrogates escaped as \uXXXX (lone ones too), everything else raw UTF-8.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c < ' ' || char.IsSurrogate(c)) sb.Append($"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    public static string Object(IEnumerable<(string Name, string Value)> members) =>
        "{" + string.Join(",", members.Select(m => $"{Literal(m.Name)}:{m.Value}")) + "}";

    public static string Array(IEnumerable<string> values) => "[" + string.Join(",", values) + "]";

    /// <summary>UTF-8 with a lone surrogate in place of a surrogate pair would not encode; write it as the (invalid) three bytes it would be.</summary>
    public static byte[] Utf8(string json) => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetBytes(json);
}
