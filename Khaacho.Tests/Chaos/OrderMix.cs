using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Chaos;

/// <summary>
/// What the load is made of: seven in ten orders are items of products several vendors stock, two are chat texts the
/// offline parser reads with confidence (the labelled set), one is a text only the model can place. Each order's
/// notes carry its Idempotency-Key, so the database itself says which orders a key produced.
/// </summary>
public sealed class OrderMix(IReadOnlyList<string> productCodes, IReadOnlyList<string> confidentTexts)
{
    public const string NotesPrefix = "chaos:";

    /// <summary>What the stub model answers for every text: one line of a product every vendor has.</summary>
    public const string ModelAnswer = """{"items":[{"productCode":"DAL-MASOOR-1KG","quantity":2,"sourceText":"2 packet"}],"unmatched":[]}""";

    public static async Task<OrderMix> LoadAsync(KhaachoAppFixture fixture)
    {
        var codes = await fixture.ColumnAsync<string>("""
            SELECT p.code FROM products p JOIN vendor_products vp ON vp.product_id = p.id
            GROUP BY p.code HAVING count(*) >= 2 ORDER BY p.code
            """);
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data/order-texts.json")));
        var texts = cases.RootElement.GetProperty("cases").EnumerateArray()
            .Where(c => c.GetProperty("expected").GetArrayLength() > 0)
            .Select(c => c.GetProperty("text").GetString()!)
            .ToList();
        return new OrderMix(codes, texts);
    }

    public static string Notes(string key) => NotesPrefix + key;

    /// <summary>The body of order <paramref name="n"/> of the run (deterministic), sent with <paramref name="key"/>.</summary>
    public string Body(long n, string key)
    {
        var notes = Notes(key);
        var random = new Random(unchecked((int)(n * 2654435761L)));
        return (n % 10) switch
        {
            < 7 => JsonSerializer.Serialize(new
            {
                items = Enumerable.Range(0, 1 + random.Next(3))
                    .Select(_ => productCodes[random.Next(productCodes.Count)])
                    .Distinct()
                    .Select(code => new { productCode = code, quantity = 1 + random.Next(3) }),
                notes,
            }),
            < 9 => JsonSerializer.Serialize(new { text = confidentTexts[random.Next(confidentTexts.Count)], notes }),
            _ => JsonSerializer.Serialize(new { text = $"zzq{n} 2 packet", notes }),
        };
    }
}
