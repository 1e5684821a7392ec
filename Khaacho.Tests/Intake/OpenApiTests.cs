using System.Diagnostics;
using System.Text.Json.Nodes;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Intake;

[Collection(AppCollection.Name)]
public sealed class OpenApiTests(KhaachoAppFixture fixture)
{
    [Theory]
    [InlineData("/api/v1/auth/token", "post", "200,400,401,403,413,415,429,503")]
    [InlineData("/api/v1/orders", "post", "202,400,401,403,413,415,422,429")]
    [InlineData("/api/v1/orders", "get", "200,400,401,403,429")]
    [InlineData("/api/v1/orders/{id}/status", "get", "200,401,403,404,429")]
    [InlineData("/api/v1/orders/{id}/status", "patch", "200,400,401,403,404,409,413,415,429")]
    [InlineData("/api/v1/orders/{id}", "get", "200,401,403,404,429")]
    [InlineData("/api/v1/products", "get", "200,401,403,429")]
    [InlineData("/api/v1/vendors", "get", "200,401,403,429")]
    public async Task The_document_lists_every_status_an_operation_answers(string path, string method, string statuses)
    {
        var document = await DocumentAsync();

        var responses = document["paths"]![path]![method]!["responses"]!.AsObject().Select(r => r.Key).Order();

        Assert.Equal(statuses.Split(','), responses);
    }

    [Fact]
    public async Task The_document_lints_clean_with_redocly()
    {
        var file = Path.Combine(Path.GetTempPath(), $"khaacho-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, (await DocumentAsync()).ToJsonString());
        try
        {
            var start = new ProcessStartInfo("npx")
            {
                ArgumentList = { "--yes", "@redocly/cli@2.77.0", "lint", file, "--config", Path.Combine(RepositoryRoot.Path, "redocly.yaml"), "--format", "summary" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
            };
            using var lint = Process.Start(start)!;
            var output = lint.StandardOutput.ReadToEndAsync();
            var errors = lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync();

            Assert.True(lint.ExitCode == 0, $"redocly lint failed:\n{await output}\n{await errors}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var client = fixture.CreateHttpClient("api");
        return JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
    }
}
