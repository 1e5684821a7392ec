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

    [Theory]
    [InlineData("/api/v1/retailers/{retailerId}/payments", "post", "admin,operator")]
    [InlineData("/api/v1/retailers/{retailerId}/payments/{paymentId}/reversal", "post", "admin,operator")]
    [InlineData("/api/v1/retailers/{retailerId}/credit", "put", "admin")]
    [InlineData("/api/v1/retailers/{retailerId}/adjustments", "post", "admin")]
    [InlineData("/api/v1/retailers/{retailerId}/statement", "get", "retailer,admin,operator")]
    [InlineData("/api/v1/retailers/{retailerId}/statement.csv", "get", "retailer,admin,operator")]
    [InlineData("/api/v1/credit/ageing", "get", "admin,operator")]
    [InlineData("/api/v1/orders", "post", "retailer")]
    [InlineData("/api/v1/orders/{id}", "get", "retailer,vendor,admin,operator")]
    public async Task Every_protected_operation_names_the_roles_that_may_call_it(string path, string method, string roles)
    {
        var operation = (await DocumentAsync())["paths"]![path]![method]!;
        Assert.Equal(roles.Split(','), operation["x-khaacho-roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.EndsWith($"Roles: {roles.Replace(",", ", ")}.", operation["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_protected_operation_leaves_its_roles_out()
    {
        var document = await DocumentAsync();
        var unnamed = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Value is JsonObject).Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!.AsObject())))
            .Where(o => o.Operation["security"] is JsonArray { Count: > 0 } && o.Operation["x-khaacho-roles"] is null)
            .Select(o => $"{o.Method} {o.Path}").ToList();
        Assert.Empty(unnamed);
    }

    [Theory]
    [InlineData("SubmitOrderRequest", "")]
    [InlineData("OrderLineRequest", "quantity")]
    [InlineData("ChangeOrderStatusRequest", "status")]
    [InlineData("ParsePreviewRequest", "text")]
    [InlineData("TokenRequest", "password,phone")]
    public async Task A_request_member_the_server_lets_a_client_leave_out_is_not_required(string schema, string required)
    {
        var document = await DocumentAsync();

        var listed = document["components"]!["schemas"]![schema]!["required"]?.AsArray().Select(r => r!.GetValue<string>()).Order() ?? Enumerable.Empty<string>();

        Assert.Equal(required.Split(',', StringSplitOptions.RemoveEmptyEntries), listed);
    }

    [Theory]
    [InlineData("/api/v1/orders", "post", "202", "Location")]
    [InlineData("/api/v1/orders", "post", "429", "Retry-After")]
    [InlineData("/api/v1/auth/token", "post", "429", "Retry-After")]
    [InlineData("/api/v1/auth/token", "post", "503", "Retry-After")]
    [InlineData("/api/v1/vendors", "get", "429", "Retry-After")]
    public async Task The_document_lists_the_headers_a_client_acts_on(string path, string method, string status, string header)
    {
        var document = await DocumentAsync();

        var documented = document["paths"]![path]![method]!["responses"]![status]!["headers"]?[header];

        Assert.True(documented?["required"]?.GetValue<bool>() == true, $"{method} {path} {status} does not promise {header}");
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
