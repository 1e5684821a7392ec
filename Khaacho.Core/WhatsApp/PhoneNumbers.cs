namespace Khaacho.Core.WhatsApp;

/// <summary>Meta writes numbers as digits (<c>wa_id</c>, <c>to</c>); the platform stores them as E.164 (<c>+977…</c>).</summary>
public static class PhoneNumbers
{
    /// <summary>E.164 from a wa_id; false for anything that is not 6 to 15 digits.</summary>
    public static bool TryFromWaId(string? waId, out string e164)
    {
        e164 = "";
        if (waId is null || waId.Length is < 6 or > 15 || !waId.All(char.IsAsciiDigit)) return false;
        e164 = "+" + waId;
        return true;
    }

    public static string ToWaId(string e164) => e164.TrimStart('+');
}
