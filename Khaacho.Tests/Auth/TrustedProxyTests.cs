using Khaacho.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Tests.Auth;

/// <summary>The api's forwarded-headers wiring, on a bare Kestrel in the test process: what address a request is counted by.</summary>
public sealed class TrustedProxyTests
{
    [Fact]
    public async Task With_no_proxy_configured_a_client_cannot_choose_its_address_with_x_forwarded_for()
    {
        Assert.Equal("127.0.0.1", await RemoteAddressSeenAsync(new Dictionary<string, string?>()));
    }

    [Fact]
    public async Task A_configured_proxy_is_believed_about_the_client_address()
    {
        Assert.Equal("203.0.113.7", await RemoteAddressSeenAsync(new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" }));
        Assert.Equal("203.0.113.7", await RemoteAddressSeenAsync(new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8" }));
    }

    [Fact]
    public async Task The_forwarded_headers_switch_aspire_writes_into_published_projects_trusts_no_one_by_itself()
    {
        Assert.Equal("127.0.0.1", await RemoteAddressSeenAsync(new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true" }));
    }

    [Fact]
    public async Task A_proxy_outside_the_configured_networks_is_not_believed()
    {
        Assert.Equal("127.0.0.1", await RemoteAddressSeenAsync(new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" }));
    }

    private static async Task<string> RemoteAddressSeenAsync(Dictionary<string, string?> settings)
    {
        // As the api is built (CreateBuilder brings ASP.NET's forwarded-headers startup filter), with these settings.
        var builder = WebApplication.CreateBuilder([.. settings.Select(s => $"--{s.Key}={s.Value}")]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddTrustedProxies();
        await using var app = builder.Build();
        app.UseTrustedProxies();
        app.MapGet("/address", (HttpContext context) => context.Connection.RemoteIpAddress!.ToString());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var client = new HttpClient { BaseAddress = new Uri(address) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/address");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await client.SendAsync(request);
        var seen = await response.Content.ReadAsStringAsync();
        await app.StopAsync();
        return seen;
    }
}
