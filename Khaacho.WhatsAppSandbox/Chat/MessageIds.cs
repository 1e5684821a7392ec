using System.Security.Cryptography;

namespace Khaacho.WhatsAppSandbox.Chat;

/// <summary>Ids shaped like Meta's: <c>wamid.</c> and base64 (message ids), digits (media ids, challenges, trace ids).</summary>
public static class MessageIds
{
    public static string NewWamid() => "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static string NewDigits(int length) =>
        string.Concat(Enumerable.Range(0, length).Select(i => (char)('0' + RandomNumberGenerator.GetInt32(i == 0 ? 1 : 0, 10))));

    public static string NewTraceId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '_').Replace('/', '-');

    /// <summary>Meta's timestamps: unix seconds, as a string.</summary>
    public static string UnixSeconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The wa_id / recipient_id form of an E.164 phone: digits without '+'.</summary>
    public static string WaId(string phone) => phone.TrimStart('+');
}
