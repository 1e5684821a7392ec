using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Foundation;

public sealed class ManifestTests
{
    private static readonly Lazy<Task<JsonNode>> Generated = new(GenerateAsync);

    [Fact]
    public async Task Committed_manifest_matches_what_the_AppHost_generates()
    {
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json")));

        Assert.True(JsonNode.DeepEquals(committed, await Generated.Value),
            "aspire-manifest.json is stale: run ./khaacho manifest and commit the result.");
    }

    [Fact]
    public async Task Manifest_models_postgres_and_redis_as_containers_whatever_the_local_mode()
    {
        var resources = (await Generated.Value)["resources"]!;

        Assert.Equal("container.v0", (string?)resources["postgres"]!["type"]);
        Assert.Equal("container.v0", (string?)resources["redis"]!["type"]);
        Assert.Equal("{postgres.connectionString};Database=khaacho", (string?)resources["khaacho"]!["connectionString"]);
    }

    [Fact]
    public async Task The_WhatsApp_sandbox_is_never_published_and_the_webhook_secrets_are_parameters()
    {
        var resources = (await Generated.Value)["resources"]!.AsObject();

        Assert.DoesNotContain(resources, r => r.Key.Contains("sandbox", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("{whatsapp-app-secret.value}", (string?)resources["api"]!["env"]!["WhatsApp__AppSecret"]);
        Assert.Equal("{whatsapp-access-token.value}", (string?)resources["worker-notifications"]!["env"]!["WhatsApp__AccessToken"]);
        Assert.True((bool?)resources["whatsapp-app-secret"]!["inputs"]!["value"]!["secret"]);
    }

    [Theory]
    [InlineData("migrations")]
    [InlineData("api")]
    [InlineData("worker-orders")]
    [InlineData("worker-ai")]
    [InlineData("worker-notifications")]
    [InlineData("worker-whatsapp")]
    public async Task Projects_reference_the_database_by_connection_string(string name)
    {
        var project = (await Generated.Value)["resources"]![name]!;

        Assert.Equal("project.v0", (string?)project["type"]);
        // Migrations as the owner; worker-orders as the maintenance login (it partitions); the rest as the app login.
        var login = name switch { "migrations" => "khaacho", "worker-orders" => "khaacho-maintenance", _ => "khaacho-app" };
        Assert.Equal($"{{{login}.connectionString}}", (string?)project["env"]!["ConnectionStrings__khaacho"]);
        if (name != "migrations")
            Assert.Equal("{redis.connectionString}", (string?)project["env"]!["ConnectionStrings__redis"]);
    }

    [Theory]
    [InlineData("khaacho-app", "khaacho_app")]
    [InlineData("khaacho-maintenance", "khaacho_maintenance")]
    public async Task Workload_logins_are_their_own_roles_with_secret_passwords_not_the_superuser(string connection, string role)
    {
        var resources = (await Generated.Value)["resources"]!;

        var connectionString = (string)resources[connection]!["connectionString"]!;
        Assert.Contains($"Username={role};", connectionString);
        Assert.Contains($"Password={{{connection}-password.value}}", connectionString);
        Assert.True((bool)resources[$"{connection}-password"]!["inputs"]!["value"]!["secret"]!);
        Assert.Equal($"{{{connection}-password.value}}", (string?)resources["migrations"]!["env"]![connection == "khaacho-app" ? "Database__AppPassword" : "Database__MaintenancePassword"]);
    }

    [Fact]
    public async Task Demo_data_and_logins_are_never_seeded_by_a_published_manifest()
    {
        var migrations = (await Generated.Value)["resources"]!["migrations"]!;

        Assert.Null(migrations["env"]!["Seed__DemoLogins"]);
        Assert.Null(migrations["env"]!["Seed__DemoData"]);
        Assert.Equal("migrate", (string?)migrations["args"]![0]);
    }

    /// <summary>Runs the AppHost's manifest publisher beside the committed file, so relative project paths agree.</summary>
    private static async Task<JsonNode> GenerateAsync()
    {
        var output = Path.Combine(RepositoryRoot.Path, $"aspire-manifest.{Guid.NewGuid():N}.tmp.json");
        var configuration = typeof(ManifestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--no-build", "-c", configuration, "--project", Path.Combine(RepositoryRoot.Path, "Khaacho.AppHost"),
                "--", "--publisher", "manifest", "--output-path", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        try
        {
            Assert.True(process.ExitCode == 0, $"manifest publisher failed: {await stderr}{await stdout}");
            return JsonNode.Parse(await File.ReadAllTextAsync(output))!;
        }
        finally
        {
            File.Delete(output);
        }
    }
}
