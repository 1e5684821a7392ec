using System.Text.Json;
using System.Text.Json.Serialization;

namespace Khaacho.Worker.Database;

/// <summary>The demo catalogue as shipped in <c>Database/Seed/catalog.json</c> (a copy of shared/data/catalog.json).</summary>
internal sealed record CatalogSeed(
    List<ProductSeed> Products,
    List<VendorSeed> Vendors,
    List<RetailerSeed> Retailers,
    DemoLoginsSeed DemoLogins)
{
    public static CatalogSeed LoadEmbedded()
    {
        using var stream = typeof(CatalogSeed).Assembly.GetManifestResourceStream("catalog.json")
            ?? throw new InvalidOperationException("The embedded demo catalogue catalog.json is missing.");
        return JsonSerializer.Deserialize(stream, CatalogSeedJsonContext.Default.CatalogSeed)
            ?? throw new InvalidOperationException("The embedded demo catalogue is empty.");
    }
}

internal sealed record ProductSeed(string Code, string Name, string Category, string Unit, string PackSize, decimal Mrp, string[] Aliases);

internal sealed record VendorSeed(string Code, string Name, string City, string Province, decimal Rating, string Phone, List<VendorProductSeed> Products, string? Pan = null, string? Address = null);

internal sealed record VendorProductSeed(string ProductCode, decimal Price, int Stock, int MinOrderQty, int LeadTimeDays);

internal sealed record RetailerSeed(string Code, string ShopName, string Phone, string City, string Province, decimal CreditLimit, decimal Outstanding, string? Pan = null, string? Address = null);

internal sealed record DemoLoginsSeed(string Password, AdminSeed Admin, AdminSeed Operator);

internal sealed record AdminSeed(string Phone, string Name);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CatalogSeed))]
internal sealed partial class CatalogSeedJsonContext : JsonSerializerContext;
