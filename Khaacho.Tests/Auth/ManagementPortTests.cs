using System.Net;
using System.Net.Sockets;
using Khaacho.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Khaacho.Tests.Auth;

/// <summary>The api's split between its public listener and its management port, on a bare Kestrel in the test process.</summary>
public sealed class ManagementPortTests
{
    [Fact]
    public async Task In_production_metrics_health_and_the_api_document_answer_only_on_the_management_port()
    {
        var seen = await AnswersAsync("Production");

        Assert.Equal(HttpStatusCode.OK, seen[("public", "/api/v1/vendors")]);
        foreach (var path in new[] { "/metrics", "/health/ready", "/openapi/v1.json" })
        {
            Assert.Equal(HttpStatusCode.NotFound, seen[("public", path)]);
            Assert.Equal(HttpStatusCode.OK, seen[("management", path)]);
        }
        Assert.Equal(HttpStatusCode.NotFound, seen[("management", "/api/v1/vendors")]);
    }

    [Fact]
    public async Task In_development_everything_answers_on_every_port()
    {
        var seen = await AnswersAsync("Development");

        Assert.All(seen, answer => Assert.Equal(HttpStatusCode.OK, answer.Value));
    }

    private static async Task<Dictionary<(string Listener, string Path), HttpStatusCode>> AnswersAsync(string environment)
    {
        int publicPort = FreePort(), managementPort = FreePort();
        var builder = WebApplication.CreateBuilder(["--environment", environment, $"--Management:Port={managementPort}"]);
        builder.WebHost.UseUrls($"http://127.0.0.1:{publicPort}", $"http://127.0.0.1:{managementPort}");
        await using var app = builder.Build();
        app.UseManagementPort();
        foreach (var path in new[] { "/api/v1/vendors", "/metrics", "/health/ready", "/openapi/v1.json" }) app.MapGet(path, () => "ok");
        await app.StartAsync();

        var seen = new Dictionary<(string, string), HttpStatusCode>();
        using var client = new HttpClient();
        foreach (var (listener, port) in new[] { ("public", publicPort), ("management", managementPort) })
            foreach (var path in new[] { "/api/v1/vendors", "/metrics", "/health/ready", "/openapi/v1.json" })
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}{path}");
                seen[(listener, path)] = response.StatusCode;
            }
        await app.StopAsync();
        return seen;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
