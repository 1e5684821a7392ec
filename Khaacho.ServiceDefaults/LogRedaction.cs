using System.Text.RegularExpressions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What never reaches a log line, whatever a developer writes: bearer tokens and JWTs, values of properties named like
/// a password, token, key or secret, AI provider keys, and full phone numbers (the last two digits stay, for support calls).
/// </summary>
public static partial class LogRedaction
{
    public const string Redacted = "[redacted]";

    public static bool IsSensitiveName(string name) => SensitiveName().IsMatch(name);

    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        text = Jwt().Replace(text, Redacted);
        text = Bearer().Replace(text, "Bearer " + Redacted);
        text = ProviderKey().Replace(text, Redacted);
        text = SecretAssignment().Replace(text, m => $"{m.Groups["key"].Value}{m.Groups["sep"].Value}{Redacted}");
        return Phone().Replace(text, m => new string('*', m.Value.Length - 2) + m.Value[^2..]);
    }

    /// <summary>A rendered message, with the values of its sensitively named properties taken out as well.</summary>
    public static string RedactMessage(string message, IEnumerable<KeyValuePair<string, object?>> properties)
    {
        foreach (var (name, value) in properties)
        {
            if (IsSensitiveName(name) && Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) is { Length: > 0 } secret)
                message = message.Replace(secret, Redacted, StringComparison.Ordinal);
        }
        return Redact(message);
    }

    public static object? Redact(string name, object? value) => value switch
    {
        null => null,
        _ when IsSensitiveName(name) => Redacted,
        string s => Redact(s),
        _ => value,
    };

    [GeneratedRegex(@"(?i)(password|passwd|secret|token|apikey|api_key|signingkey|signing_key|authorization|credential)")]
    private static partial Regex SensitiveName();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?i)bearer\s+[A-Za-z0-9._~+/=-]{8,}")]
    private static partial Regex Bearer();

    // OpenAI (sk-..., sk-proj-...) and Anthropic (sk-ant-...) key shapes, wherever they appear.
    [GeneratedRegex(@"(?<![\w-])sk-[A-Za-z0-9_-]{16,}")]
    private static partial Regex ProviderKey();

    [GeneratedRegex(@"(?i)(?<key>password|secret|token|api[_-]?key|signing[_-]?key)(?<sep>\s*[=:]\s*)[^\s,;&""']+")]
    private static partial Regex SecretAssignment();

    // Nepali mobiles (+977 98xxxxxxxx) and any other run of 9+ digits with an optional +: phone-shaped.
    [GeneratedRegex(@"(?<![\w-])\+?\d{9,15}(?![\w-])")]
    private static partial Regex Phone();
}
