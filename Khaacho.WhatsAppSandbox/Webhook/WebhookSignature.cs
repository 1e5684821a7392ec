using System.Security.Cryptography;
using System.Text;

namespace Khaacho.WhatsAppSandbox.Webhook;

/// <summary>Meta's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the app secret.</summary>
public static class WebhookSignature
{
    public const string Header = "X-Hub-Signature-256";

    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string? header, string appSecret) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body, appSecret)), Encoding.ASCII.GetBytes(header));
}
