using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Core.Orders;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Fuzzing;

/// <summary>
/// What valid requests are made of: a token for every demo login (rate limits are per user, so the fuzzer spreads its
/// requests over all of them) and real catalogue codes, vendors and orders, so valid requests reach the handlers' depths.
/// </summary>
public sealed class FuzzContext
{
    public required IReadOnlyList<(string Name, string? Token)> Principals { get; init; }
    public required IReadOnlyList<string> ProductCodes { get; init; }
    public required IReadOnlyList<string> ProductIds { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public required IReadOnlyList<string> VendorIds { get; init; }
    public required IReadOnlyList<string> OrderIds { get; init; }
    public static IReadOnlyList<string> Statuses { get; } = [.. WireNames.All<OrderStatus>()];
    public static IReadOnlyList<string> StreamNames { get; } = ["orders", "ai", "notifications"];

    public static readonly string[] ChatTexts =
    [
        "chini 3 bora, wai wai 5 carton", "Namaste dai, 20 packet nun ra 10 packet chini pathaidinus", "rara 2 carton", "same as last time",
        "चिनी ५ केजी", "dal 2 bora\nchamal 1 bora", "x3 wai wai", "tel 2 litre, sabun 4 ota",
    ];

    public static async Task<FuzzContext> CreateAsync(KhaachoAppFixture fixture)
    {
        var principals = new List<(string, string?)> { ("anonymous", null) };
        for (var i = 0; i < 10; i++) principals.Add(($"retailer{i}", await TokenAsync(fixture, ApiClient.DemoPhone("retailers", i))));
        for (var i = 0; i < 5; i++) principals.Add(($"vendor{i}", await TokenAsync(fixture, ApiClient.DemoPhone("vendors", i))));
        principals.Add(("admin", await TokenAsync(fixture, ApiClient.AdminPhone)));

        using var retailer = await fixture.LoginAsync(ApiClient.Retailer1Phone);
        var products = await retailer.GetFromJsonAsync<JsonElement>("/api/v1/products");
        var vendors = await retailer.GetFromJsonAsync<JsonElement>("/api/v1/vendors");
        var orders = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var owner = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", i));
            orders.Add((await owner.SubmitAsync("""{"items":[{"productCode":"SUGAR-1KG","quantity":1}]}""")).ToString());
        }
        return new FuzzContext
        {
            Principals = principals,
            ProductCodes = [.. products.EnumerateArray().Select(p => p.GetProperty("code").GetString()!)],
            ProductIds = [.. products.EnumerateArray().Select(p => p.GetProperty("id").GetString()!)],
            Categories = [.. products.EnumerateArray().Select(p => p.GetProperty("category").GetString()!).Distinct()],
            VendorIds = [.. vendors.EnumerateArray().Select(v => v.GetProperty("id").GetString()!)],
            OrderIds = orders,
        };
    }

    private static async Task<string> TokenAsync(KhaachoAppFixture fixture, string phone)
    {
        using var client = await fixture.LoginAsync(phone);
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }
}
