using System.Text.Json;
using Khaacho.Core.Parsing;
using Khaacho.Tests.Hosting;
using Xunit.Abstractions;

namespace Khaacho.Tests.Parsing;

/// <summary>The offline parser against the clerk-labelled chat orders in Data/order-texts.json.</summary>
public sealed class OfflineParserAccuracyTests(ITestOutputHelper output)
{
    public static OfflineOrderParser CatalogParser()
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Khaacho.Worker/Database/Seed/catalog.json")));
        var products = catalog.RootElement.GetProperty("products").EnumerateArray().Select(p => new ParserProduct(
            Guid.CreateVersion7(), p.GetProperty("code").GetString()!, p.GetProperty("name").GetString()!, p.GetProperty("unit").GetString()!,
            p.GetProperty("packSize").GetString()!, [.. p.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!)])).ToList();
        return new OfflineOrderParser(products);
    }

    private static List<(string Text, HashSet<(string Code, int Quantity)> Expected)> Cases()
    {
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data/order-texts.json")));
        return [.. cases.RootElement.GetProperty("cases").EnumerateArray().Select(c => (
            c.GetProperty("text").GetString()!,
            c.GetProperty("expected").EnumerateArray().Select(e => (e.GetProperty("productCode").GetString()!, e.GetProperty("quantity").GetInt32())).ToHashSet()))];
    }

    [Fact]
    public void Item_level_f1_is_at_least_0_9_and_orders_that_name_no_product_get_no_items()
    {
        var parser = CatalogParser();
        int truePositives = 0, predicted = 0, expected = 0, exact = 0;
        var cases = Cases();
        foreach (var (text, wanted) in cases)
        {
            var got = parser.Parse(text).Items.Select(i => (i.ProductCode, i.Quantity)).ToHashSet();
            truePositives += got.Intersect(wanted).Count();
            predicted += got.Count;
            expected += wanted.Count;
            if (got.SetEquals(wanted)) exact++;
            else output.WriteLine($"MISS {JsonSerializer.Serialize(text)}: got [{string.Join(", ", got)}], want [{string.Join(", ", wanted)}]");
            if (wanted.Count == 0) Assert.Empty(got);
        }
        var precision = (double)truePositives / predicted;
        var recall = (double)truePositives / expected;
        var f1 = 2 * precision * recall / (precision + recall);
        output.WriteLine($"cases {cases.Count}: precision {precision:F3}, recall {recall:F3}, F1 {f1:F3}, exact-order match {(double)exact / cases.Count:P1}");

        Assert.True(f1 >= 0.9, $"F1 {f1:F3} is below 0.9");
    }

    [Theory]
    [InlineData("2 dozen colgate", "TOOTHPASTE-COLGATE-100G", 24)]
    [InlineData("chini dui bora", "SUGAR-50KG", 2)]
    [InlineData("chini 10 packet", "SUGAR-1KG", 10)]
    [InlineData("lifebouy 12", "SOAP-LIFEBUOY-100G", 12)]
    public void Number_words_dozens_pack_units_and_misspellings(string text, string code, int quantity)
    {
        var item = Assert.Single(CatalogParser().Parse(text).Items);

        Assert.Equal((code, quantity), (item.ProductCode, item.Quantity));
    }

    [Fact]
    public void An_item_it_cannot_place_lowers_the_confidence_and_is_reported()
    {
        var parsed = CatalogParser().Parse("chini 5 packet, xyzzy 3 carton");

        Assert.Single(parsed.Items);
        Assert.Equal(["xyzzy 3 carton"], parsed.Unmatched);
        Assert.True(parsed.Confidence <= 0.5);
    }
}
