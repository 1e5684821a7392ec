using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Chaos;

/// <summary>
/// What the load is made of: seven in ten orders are items that one vendor stocks together, two are chat texts the
/// offline parser reads with confidence (the labelled set), one is a text only the model can place. Each order's
/// notes carry its Idempotency-Key, so the database itself says which orders a key produced.
/// </summary>
public sealed class OrderMix(IReadOnlyList<string[]> assortments, IReadOnlyList<string> confidentTexts)
{
    public const string NotesPrefix = "chaos:";

    /// <summary>What the stub model answers for every text: one line of a product every vendor has.</summary>
    public const string ModelAnswer = """{"items":[{"productCode":"DAL-MASOOR-1KG","quantity":2,"sourceText":"2 packet"}],"unmatched":[]}""";

    public static async Task<OrderMix> LoadAsync(KhaachoAppFixture fixture)
    {
        // Each vendor's products, so that some vendor can always take a whole order: only a fault makes one fail.
        var assortments = await fixture.ColumnAsync<string[]>("""
            SELECT array_agg(p.code ORDER BY p.code) FROM vendor_products vp JOIN products p ON p.id = vp.product_id
            GROUP BY vp.vendor_id ORDER BY vp.vendor_id
            """);
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data/order-texts.json")));
        var texts = cases.RootElement.GetProperty("cases").EnumerateArray()
            .Where(c => c.GetProperty("expected").GetArrayLength() > 0)
            .Select(c => c.GetProperty("text").GetString()!)
            .ToList();
        return new OrderMix(assortments, texts);
    }

    public static string Notes(string key) => NotesPrefix + key;

    /// <summary>The body of order <paramref name="n"/> of the run (deterministic), sent with <paramref name="key"/>.</summary>
    public string Body(long n, string key)
    {
        var notes = Notes(key);
        var random = new Random(unchecked((int)(n * 2654435761L)));
        var assortment = assortments[random.Next(assortments.Count)];
        return (n % 10) switch
        {
            < 7 => JsonSerializer.Serialize(new
            {
                items = Enumerable.Range(0, 1 + random.Next(3))
                    .Select(_ => assortment[random.Next(assortment.Length)])
                    .Distinct()
                    .Select(code => new { productCode = code, quantity = 1 + random.Next(3) }),
                notes,
            }),
            < 9 => JsonSerializer.Serialize(new { text = confidentTexts[random.Next(confidentTexts.Count)], notes }),
            _ => JsonSerializer.Serialize(new { text = $"zzq{n} 2 packet", notes }),
        };
    }
}
