using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Foundation;

[Collection(AppCollection.Name)]
public sealed class HealthTests(KhaachoAppFixture fixture)
{
    [Fact]
    public void Migrations_resource_finished_with_exit_code_zero()
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState("migrations", out var migrations));
        Assert.Equal(KnownResourceStates.Finished, migrations.Snapshot.State?.Text);
        Assert.Equal(0, migrations.Snapshot.ExitCode);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker-orders")]
    [InlineData("worker-ai")]
    [InlineData("worker-notifications")]
    public async Task Ready_endpoint_reports_postgres_and_redis_healthy(string resource)
    {
        var report = await ReadinessAsync(resource);

        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.Equal("Healthy", report.Checks["postgres"]);
        Assert.Equal("Healthy", report.Checks["redis"]);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker-orders")]
    public async Task Live_endpoint_answers_without_checking_dependencies(string resource)
    {
        using var client = fixture.CreateHttpClient(resource);
        using var response = await client.GetAsync("/health/live");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.RootElement.GetProperty("checks").TryGetProperty("postgres", out _));
    }

    [Fact]
    public async Task With_redis_down_the_api_stays_ready_but_degraded_and_workers_are_not_ready()
    {
        await fixture.StopRedisAsync();
        try
        {
            var api = await PollAsync("api", r => r.Checks["redis"] != "Healthy");
            var worker = await PollAsync("worker-orders", r => r.Checks["redis"] != "Healthy");

            Assert.Equal((HttpStatusCode.OK, "Degraded"), (api.Status, api.Checks["redis"]));
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (worker.Status, worker.Checks["redis"]));
        }
        finally
        {
            await fixture.StartRedisAsync();
        }

        var recovered = await PollAsync("worker-orders", r => r.Checks["redis"] == "Healthy");
        Assert.Equal(HttpStatusCode.OK, recovered.Status);
    }

    private sealed record Readiness(HttpStatusCode Status, Dictionary<string, string> Checks);

    private async Task<Readiness> ReadinessAsync(string resource)
    {
        using var client = fixture.CreateHttpClient(resource);
        using var response = await client.GetAsync("/health/ready");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks").EnumerateObject()
            .ToDictionary(c => c.Name, c => c.Value.GetProperty("status").GetString()!);
        return new Readiness(response.StatusCode, checks);
    }

    private async Task<Readiness> PollAsync(string resource, Func<Readiness, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var report = await ReadinessAsync(resource);
            if (until(report) || DateTime.UtcNow > deadline) return report;
            await Task.Delay(250);
        }
    }
}
