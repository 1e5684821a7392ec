using System.Text.Json.Nodes;
using Khaacho.Deploy.Base;
using Khaacho.Deploy.Manifest;
using Khaacho.Deploy.Output;
using Khaacho.Deploy.Production;
using Khaacho.Deploy.Secrets;

namespace Khaacho.Deploy.Tests;

public sealed class GeneratedManifestsTests
{
    private static DeployInputs Committed() => DeployInputs.Load(Repository.Root);

    [Fact]
    public void Committed_deploy_k8s_matches_what_the_generator_produces_from_the_committed_manifest_and_alerts()
    {
        var generated = DeploymentGenerator.Generate(Committed());

        var stale = generated.Files.Where(f => !File.Exists(Path.Combine(Repository.Root, f.Key)) || Repository.Read(f.Key) != f.Value).Select(f => f.Key)
            .Concat(GeneratedFiles.OwnedFilesOnDisk(Repository.Root, generated.Roots).Where(f => !generated.Files.ContainsKey(f)))
            .ToList();
        Assert.True(stale.Count == 0, $"deploy/k8s is stale: run ./khaacho manifest and commit the result. Differs: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Generating_twice_writes_the_same_bytes()
    {
        var first = DeploymentGenerator.Generate(Committed()).Files;
        var second = DeploymentGenerator.Generate(Committed()).Files;

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_change_to_the_manifest_makes_the_committed_base_stale()
    {
        var manifest = ManifestJson();
        manifest["resources"]!["api"]!["env"]!["Orders__Example"] = "changed";

        var generated = DeploymentGenerator.Generate(Committed() with { Manifest = AspireManifest.Parse(manifest.ToJsonString()) });

        Assert.NotEqual(Repository.Read("deploy/k8s/base/api/configmap.yaml"), generated.Files["deploy/k8s/base/api/configmap.yaml"]);
    }

    [Fact]
    public void New_secret_and_plain_parameters_and_their_environment_need_no_code_change()
    {
        var manifest = ManifestJson();
        manifest["resources"]!["openai-api-key"] = JsonNode.Parse("""{ "type": "parameter.v0", "value": "{openai-api-key.inputs.value}", "inputs": { "value": { "type": "string", "secret": true } } }""");
        manifest["resources"]!["ai-model"] = JsonNode.Parse("""{ "type": "parameter.v0", "value": "{ai-model.inputs.value}", "inputs": { "value": { "type": "string" } } }""");
        manifest["resources"]!["ai-region"] = JsonNode.Parse("""{ "type": "parameter.v0", "value": "{ai-region.inputs.value}", "inputs": { "value": { "type": "string", "default": { "value": "eu" } } } }""");
        var env = manifest["resources"]!["worker-ai"]!["env"]!;
        env["Ai__Providers__OpenAI__ApiKey"] = "{openai-api-key.value}";
        env["Ai__Providers__OpenAI__Model"] = "{ai-model.value}";
        env["Ai__Region"] = "{ai-region.value}";
        env["Ai__Providers__OpenAI__Header"] = "Bearer {openai-api-key.value}";

        var files = DeploymentGenerator.Generate(Committed() with { Manifest = AspireManifest.Parse(manifest.ToJsonString()) }).Files;

        Assert.Contains("openai-api-key=<openai-api-key>", files["deploy/k8s/secrets/secrets.env.example"]);
        Assert.Contains("ai-model=", files["deploy/k8s/base/parameters.env"]);
        Assert.Contains("- khaacho-parameters", files["deploy/k8s/base/kustomization.yaml"].Replace("name: ", "- ", StringComparison.Ordinal));
        var deployment = files["deploy/k8s/base/worker-ai/deployment.yaml"];
        Assert.Contains("key: openai-api-key", deployment);
        Assert.Contains("key: ai-model", deployment);
        Assert.Contains("value: Bearer $(PARAMETER_OPENAI_API_KEY)", deployment);
        Assert.Contains("Ai__Region: eu", files["deploy/k8s/base/worker-ai/configmap.yaml"]);
        Assert.DoesNotContain("openai", string.Concat(files.Where(f => f.Key.EndsWith("configmap.yaml", StringComparison.Ordinal)).Select(f => f.Value)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Secret_values_never_reach_a_generated_file_and_the_example_holds_only_placeholders()
    {
        var files = DeploymentGenerator.Generate(Committed()).Files;

        var example = files[$"{SecretsGenerator.Folder}/{SecretsGenerator.ExampleFile}"];
        foreach (var line in example.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var (key, value) = (line[..line.IndexOf('=')], line[(line.IndexOf('=') + 1)..]);
            Assert.Equal($"<{key}>", value);
        }
        Assert.DoesNotContain(files.Values, content => content.Contains("kind: Secret", StringComparison.Ordinal));
    }

    [Fact]
    public void The_base_reads_no_secrets_file_and_the_secrets_kustomization_makes_one_stably_named_secret_in_the_production_namespace()
    {
        var files = DeploymentGenerator.Generate(Committed()).Files;

        Assert.All(files.Where(f => f.Key.StartsWith(BaseGenerator.Folder + "/", StringComparison.Ordinal) || f.Key.StartsWith(ProductionGenerator.Folder + "/", StringComparison.Ordinal)),
            f => Assert.DoesNotContain("secretGenerator", f.Value, StringComparison.Ordinal));
        var kustomization = files[$"{SecretsGenerator.Folder}/kustomization.yaml"];
        Assert.Contains($"\nnamespace: {ProductionPolicy.Namespace}\n", kustomization);
        Assert.Contains("\n  disableNameSuffixHash: true\n", kustomization);
        Assert.Contains($"\nsecretGenerator:\n- name: {Labels.SecretName}\n  envs:\n  - {SecretsGenerator.SecretsFile}\n", kustomization);
        Assert.True(GeneratedFiles.IsOperatorSecret($"{SecretsGenerator.Folder}/{SecretsGenerator.SecretsFile}"), "the generator would delete or compare the operator's secrets.env");
    }

    [Fact]
    public void Api_and_workers_wait_for_the_newest_migration_compiled_into_the_app()
    {
        var latest = DeployInputs.LatestMigrationOf(typeof(Khaacho.Core.Data.KhaachoDbContext));
        var files = DeploymentGenerator.Generate(Committed()).Files;

        Assert.NotNull(latest);
        foreach (var name in new[] { "api", "worker-orders", "worker-ai", "worker-notifications" })
        {
            var deployment = files[$"deploy/k8s/base/{name}/deployment.yaml"];
            Assert.Contains($"name: {BaseGenerator.MigrationWaitContainer}", deployment);
            Assert.Contains(latest, deployment);
        }
        Assert.Contains("kind: Job", files["deploy/k8s/base/migrations/job.yaml"]);
    }

    private static JsonNode ManifestJson() => JsonNode.Parse(Repository.Read("aspire-manifest.json"))!;
}
