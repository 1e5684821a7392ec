using System.Globalization;
using System.Text;
using CsCheck;

namespace Khaacho.Tests.Fuzzing;

/// <summary>Values a careless or hostile client sends: as JSON fragments for bodies, and as raw text for URLs and headers.</summary>
public static class HostileValues
{
    private static readonly string[] Texts =
    [
        "", " ", "\u0000", "a\u0000b", "\u0001", "\u0007", "\u001b[2J", "\u007f", "\u0085", "\u009f", "\t", "\r\n", "\u2028", "\u202Eevil",
        "\u200d", "\ufeff", "\ufffe", "\uffff", "\ud800", "\udc00", "\udc00\ud800", "😀", "e\u0301", "\u00e9", "\u1100\u1161\u11a8", "\uac01",
        "चिनी", "च\u093fनी", "ﷺ", "ＡＢＣ", "İ", "ß", "' OR 1=1 --", "\"; DROP TABLE orders; --", "%00", "%", "%zz", "../../etc/passwd", "..",
        "${jndi:ldap://x}", "{0}", "%s%s%n", "<script>alert(1)</script>", "null", "true", "0", "-1", "1e400", "NaN", "Infinity",
        "\\", "\"", "/", "?", "#", "&", "=", "+", "chini 99999999999 bora", "chini 3 bora", "SUGAR-1KG", " SUGAR-1KG ", "sugar-1kg",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "2", "100", "101", "9999", "10000", "10001", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "1e12", "1e400", "-1e400", "1e-400", "0.5", "1.0", "1.5", "1E2", "0x10", "01",
        new string('9', 400), "\"1\"", "\"10\"", "\"-1\"", "\"1e3\"", "\"\"", "\" 1\"",
    ];

    private static readonly string[] Dates =
    [
        "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+05:45", "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+05:45",
        "9999-12-31T23:59:59-05:45", "2026-11-30T00:00:00+05:45", "2026-11-30T00:00:00+14:00", "2026-11-30T00:00:00-12:00", "2026-11-30T00:00:00+23:59",
        "2026-11-30T00:00:00+24:00", "2026-02-30T00:00:00Z", "2026-11-30", "2026-11-30T25:00:00Z", "2026-11-30T00:00:00.1234567890Z", "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z", "2026-W48", "now", "", "1764460800", "2026-11-30T00:00:00Z ", "+275760-09-13T00:00:00Z",
    ];

    private static readonly string[] Guids =
    [
        "00000000-0000-0000-0000-000000000000", "f0000000-0000-7000-8000-000000000000", "ffffffff-ffff-7fff-bfff-ffffffffffff",
        "ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-7000-8000-000000000000", "0193a000-0000-7000-8000-000000000000",
        "e7a3c1d2-1b2c-4d5e-8f90-a1b2c3d4e5f6", "{01938a5e-0000-7000-8000-000000000000}", "(01938a5e-0000-7000-8000-000000000000)",
        "01938a5e000070008000000000000000", "01938A5E-0000-7000-8000-00000000000F", "01938a5e-0000-7000-8000-00000000000", "not-a-guid", " ",
        "01938a5e-0000-7000-8000-000000000000 ", "0x01938a5e", "%00",
    ];

    private static readonly string[] Structures =
    [
        "null", "true", "false", "[]", "{}", "[null]", "[1,2,3]", "{\"a\":1}", "\"\"", "[[]]", "{\"$ref\":\"#\"}", "{\"__proto__\":{}}",
        Nested('[', ']', 70), Nested('[', ']', 2000), string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70),
    ];

    /// <summary>Any JSON value that is probably wrong for the field: a hostile string, number, date, id, or another type entirely.</summary>
    public static Gen<string> JsonFragment => Gen.Frequency(
        (4, Gen.OneOf(HostileText, LongText).Select(JsonText.Literal)),
        (3, Gen.OneOf(Numbers)),
        (2, Gen.OneOf(Dates).Select(JsonText.Literal)),
        (2, Gen.OneOf(Guids).Select(JsonText.Literal)),
        (2, Gen.OneOf(Structures)));

    /// <summary>A hostile value for a query string, path segment or header: text only, URLs and headers have no types.</summary>
    public static Gen<string> RawText => Gen.Frequency(
        (4, HostileText), (2, Gen.OneOf(Numbers).Select(n => n.Trim('"'))), (2, Gen.OneOf(Dates)), (2, Gen.OneOf(Guids)), (1, LongText));

    public static Gen<string> HostileText => Gen.Frequency(
        (5, Gen.OneOf(Texts)),
        (2, Gen.Char['\u0000', '\uffff'].Array[0, 12].Select(c => new string(c))),
        (1, Gen.OneOf(Texts).Array[2, 4].Select(string.Concat)));

    /// <summary>Just over and well over the limits: 1,000-character notes, 4 KB texts, a 64 KB body, an 8 KB request line.</summary>
    public static Gen<string> LongText => Gen.OneOf(Gen.OneOf(255, 256, 1000, 1001, 4096, 4097, 9000, 70_000), Gen.Int[0, 5000])
        .SelectMany(length => Gen.OneOf("a", "9", "चि", "😀", " ", "chini 2, ").Select(unit =>
        {
            var sb = new StringBuilder(length + unit.Length);
            while (sb.Length < length) sb.Append(unit);
            return sb.ToString(0, length);
        }));

    private static string Nested(char open, char close, int depth) => new string(open, depth) + new string(close, depth);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
