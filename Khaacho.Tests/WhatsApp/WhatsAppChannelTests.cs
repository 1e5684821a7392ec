using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>The AppHost's WhatsApp wiring: the sandbox only when nothing is configured, never in a manifest.</summary>
public sealed class WhatsAppChannelTests
{
    private static readonly string[] Senders = ["api", "worker-orders", "worker-ai", "worker-notifications"];

    [Fact]
    public async Task With_nothing_configured_the_sandbox_runs_and_the_api_and_workers_wait_for_it()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Khaacho_AppHost>(["--Infrastructure:Mode=local"]);

        var sandbox = Assert.Single(builder.Resources.OfType<ProjectResource>(), p => p.Name == "whatsapp-sandbox");
        Assert.Contains(sandbox.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http" && e.IsExternal);
        foreach (var name in Senders)
        {
            var project = builder.Resources.OfType<ProjectResource>().Single(p => p.Name == name);
            Assert.Contains(project.Annotations.OfType<WaitAnnotation>(), w => w.Resource == sandbox);
        }
    }

    [Fact]
    public async Task With_a_configured_Graph_API_there_is_no_sandbox_and_every_sender_gets_the_configured_values()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Khaacho_AppHost>(
        [
            "--Infrastructure:Mode=local",
            "--WhatsApp:GraphApiUrl=http://127.0.0.1:1/v21.0/",
            "--WhatsApp:PhoneNumberId=1098765",
            "--WhatsApp:AccessToken=test-whatsapp-token",
            "--WhatsApp:AppSecret=test-app-secret",
            "--WhatsApp:VerifyToken=test-verify-token",
        ]);
        await using var app = await builder.BuildAsync();

        Assert.DoesNotContain(builder.Resources, r => r.Name == "whatsapp-sandbox");
        foreach (var name in Senders)
        {
            var project = builder.Resources.OfType<ProjectResource>().Single(p => p.Name == name);
#pragma warning disable CS0618 // Its replacement (ExecutionConfigurationBuilder) needs a started app's services; this still evaluates the callbacks.
            var environment = await project.GetEnvironmentVariableValuesAsync();
#pragma warning restore CS0618
            Assert.Equal("http://127.0.0.1:1/v21.0/", environment["WhatsApp__GraphApiUrl"]);
            Assert.Equal("1098765", environment["WhatsApp__PhoneNumberId"]);
            Assert.Equal("test-whatsapp-token", environment["WhatsApp__AccessToken"]);
            Assert.Equal(name == "api", environment.ContainsKey("WhatsApp__AppSecret"));
            if (name == "api")
            {
                Assert.Equal("test-app-secret", environment["WhatsApp__AppSecret"]);
                Assert.Equal("test-verify-token", environment["WhatsApp__VerifyToken"]);
            }
        }
    }

    [Fact]
    public async Task The_manifest_has_no_sandbox_only_the_parameters_a_real_number_needs()
    {
        var resources = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json")))!["resources"]!.AsObject();

        Assert.DoesNotContain(resources, r => r.Key.Contains("sandbox", StringComparison.OrdinalIgnoreCase));
        foreach (var secret in new[] { "whatsapp-access-token", "whatsapp-app-secret", "whatsapp-verify-token" })
            Assert.True((bool)resources[secret]!["inputs"]!["value"]!["secret"]!, secret);
        Assert.Equal("https://graph.facebook.com/v21.0/", (string?)resources["whatsapp-graph-api-url"]!["inputs"]!["value"]!["default"]!["value"]);
        Assert.Null(resources["whatsapp-phone-number-id"]!["inputs"]!["value"]!["default"]);
        Assert.Equal("{whatsapp-app-secret.value}", (string?)resources["api"]!["env"]!["WhatsApp__AppSecret"]);
        foreach (var name in Senders)
            Assert.Equal("{whatsapp-graph-api-url.value}", (string?)resources[name]!["env"]!["WhatsApp__GraphApiUrl"]);
    }
}
