using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Khaacho.Tests.Hosting;

/// <summary>Demo logins (seeded in run mode) and authenticated calls to the api.</summary>
public static class ApiClient
{
    public const string DemoPassword = "khaacho-demo";
    public static string Retailer1Phone => DemoPhone("retailers", 0);
    public static string AdminPhone => SeedCatalog.Value.RootElement.GetProperty("demoLogins").GetProperty("admin").GetProperty("phone").GetString()!;
    public static string OperatorPhone => SeedCatalog.Value.RootElement.GetProperty("demoLogins").GetProperty("operator").GetProperty("phone").GetString()!;

    /// <summary>A client signed in as <paramref name="phone"/>. Tokens are cached per phone: the token endpoint is rate-limited per address.</summary>
    public static async Task<HttpClient> LoginAsync(this KhaachoAppFixture fixture, string phone)
    {
        var client = fixture.CreateHttpClient("api");
        var token = await Tokens.GetOrAdd((fixture, phone), key => RequestTokenAsync(key.Fixture, key.Phone));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static readonly ConcurrentDictionary<(KhaachoAppFixture Fixture, string Phone), Task<string>> Tokens = new();

    private static async Task<string> RequestTokenAsync(KhaachoAppFixture fixture, string phone)
    {
        using var client = fixture.CreateHttpClient("api");
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { phone, password = DemoPassword });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>The phone of the seeded retailer or vendor at <paramref name="index"/> in the demo catalogue.</summary>
    public static string DemoPhone(string kind, int index) => SeedCatalog.Value.RootElement.GetProperty(kind)[index].GetProperty("phone").GetString()!;

    private static readonly Lazy<JsonDocument> SeedCatalog = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Khaacho.Worker/Database/Seed/catalog.json"))));

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
