using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Khaacho.Tests.Hosting;

/// <summary>Demo logins (seeded in run mode) and authenticated calls to the api.</summary>
public static class ApiClient
{
    public const string DemoPassword = "khaacho-demo";
    public const string Retailer1Phone = "+9779865857931";

    public static async Task<HttpClient> LoginAsync(this KhaachoAppFixture fixture, string phone)
    {
        var client = fixture.CreateHttpClient("api");
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { phone, password = DemoPassword });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    public static async Task<string> RetailerPhoneAsync(this KhaachoAppFixture fixture, int index)
    {
        var catalog = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "Khaacho.Worker/Database/Seed/catalog.json")));
        return catalog.RootElement.GetProperty("retailers")[index].GetProperty("phone").GetString()!;
    }

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
