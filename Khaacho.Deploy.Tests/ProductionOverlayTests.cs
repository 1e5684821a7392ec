using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Khaacho.Core.Messaging;
using Khaacho.Deploy.Production;

namespace Khaacho.Deploy.Tests;

/// <summary>Invariants of the production overlay, as kubectl renders it.</summary>
public sealed partial class ProductionOverlayTests
{
    private static IReadOnlyList<JsonObject> Rendered => RenderedOverlay.Production.Value;

    private static IEnumerable<JsonObject> Workloads =>
        Rendered.OfKind("Deployment").Concat(Rendered.OfKind("StatefulSet")).Concat(Rendered.OfKind("Job"));

    [Fact]
    public void Base_and_overlay_render_every_manifest_resource()
    {
        var names = Rendered.Select(o => $"{o["kind"]}/{o.Name()}").ToHashSet();

        Assert.Contains("Job/migrations", names);
        Assert.Contains("StatefulSet/postgres", names);
        Assert.Contains("StatefulSet/redis", names);
        foreach (var name in new[] { "api", "worker-orders", "worker-ai", "worker-notifications" }) Assert.Contains($"Deployment/{name}", names);
        Assert.All(Rendered.Where(o => (string?)o["kind"] != "Namespace"), o => Assert.Equal("khaacho", (string?)o["metadata"]!["namespace"]));
        Assert.NotEmpty(RenderedOverlay.Base.Value);
    }

    [Fact]
    public void Every_deployment_has_probes_requests_limits_and_a_non_root_read_only_security_context()
    {
        var deployments = Rendered.OfKind("Deployment").ToList();
        Assert.NotEmpty(deployments);
        foreach (var workload in Workloads)
        {
            var pod = workload["spec"]!["template"]!["spec"]!;
            Assert.True((string?)pod["securityContext"]?["runAsNonRoot"] == "true", $"{workload.Name()}: pod not runAsNonRoot");
            Assert.NotEqual("0", (string?)pod["securityContext"]?["runAsUser"]);
            foreach (var container in workload.Containers())
            {
                var where = $"{workload["kind"]}/{workload.Name()} container {container["name"]}";
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container["resources"]?["requests"]?[resource] is not null, $"{where}: no {resource} request");
                    Assert.True(container["resources"]?["limits"]?[resource] is not null, $"{where}: no {resource} limit");
                }
                var security = container["securityContext"];
                Assert.True((string?)security?["allowPrivilegeEscalation"] == "false", $"{where}: privilege escalation allowed");
                Assert.True((string?)security?["readOnlyRootFilesystem"] == "true", $"{where}: writable root filesystem");
                Assert.True((string?)security?["runAsNonRoot"] == "true", $"{where}: may run as root");
                Assert.Equal(["ALL"], security?["capabilities"]?["drop"]?.AsArray().Select(c => (string?)c));
            }
            if ((string?)workload["kind"] == "Job") continue;
            foreach (var container in workload.Containers(includeInit: false))
            {
                foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                    Assert.True(container[probe] is not null, $"{workload.Name()} container {container["name"]}: no {probe}");
            }
        }
    }

    [Fact]
    public void Project_probes_use_the_health_endpoints()
    {
        foreach (var deployment in Rendered.OfKind("Deployment"))
        {
            var container = deployment.Containers(includeInit: false).Single();
            Assert.Equal("/health/live", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
            Assert.Equal("/health/live", (string?)container["startupProbe"]!["httpGet"]!["path"]);
            Assert.Equal("/health/ready", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        }
    }

    [Fact]
    public void Api_autoscales_from_3_to_20_on_cpu_and_memory_with_a_5_minute_scale_down_window()
    {
        var hpa = Rendered.OfKind("HorizontalPodAutoscaler").Single(h => (string?)h["spec"]!["scaleTargetRef"]!["name"] == "api");

        Assert.Equal("3", (string?)hpa["spec"]!["minReplicas"]);
        Assert.Equal("20", (string?)hpa["spec"]!["maxReplicas"]);
        var targets = hpa["spec"]!["metrics"]!.AsArray().ToDictionary(m => (string)m!["resource"]!["name"]!, m => (string?)m!["resource"]!["target"]!["averageUtilization"]);
        Assert.Equal("70", targets["cpu"]);
        Assert.Equal("80", targets["memory"]);
        Assert.Equal("300", (string?)hpa["spec"]!["behavior"]!["scaleDown"]!["stabilizationWindowSeconds"]);
        Assert.Equal("0", (string?)hpa["spec"]!["behavior"]!["scaleUp"]!["stabilizationWindowSeconds"]);
    }

    [Fact]
    public void Each_worker_type_scales_with_keda_on_its_own_stream_and_consumer_group()
    {
        var workers = Rendered.OfKind("ConfigMap").Where(c => c["data"]?["Worker__Type"] is not null)
            .ToDictionary(c => (string)c["data"]!["Worker__Type"]!, c => (string)c["metadata"]!["labels"]!["app.kubernetes.io/name"]!);
        var scalers = Rendered.OfKind("ScaledObject").ToList();

        Assert.Equal(Streams.All.Order(), workers.Keys.Order());
        foreach (var (stream, deployment) in workers)
        {
            var scaler = scalers.Single(s => (string?)s["spec"]!["scaleTargetRef"]!["name"] == deployment);
            Assert.Equal("1", (string?)scaler["spec"]!["minReplicaCount"]);
            Assert.True(int.Parse((string)scaler["spec"]!["maxReplicaCount"]!, System.Globalization.CultureInfo.InvariantCulture) > 1);
            var triggers = scaler["spec"]!["triggers"]!.AsArray();
            Assert.NotEmpty(triggers);
            foreach (var trigger in triggers)
            {
                Assert.Equal("redis-streams", (string?)trigger!["type"]);
                Assert.Equal(stream, (string?)trigger["metadata"]!["stream"]);
                Assert.Equal(Streams.Group(stream), (string?)trigger["metadata"]!["consumerGroup"]);
            }
            Assert.Contains(triggers, t => t!["metadata"]!["pendingEntriesCount"] is not null);
            Assert.Contains(triggers, t => t!["metadata"]!["lagCount"] is not null);
        }
    }

    [Fact]
    public void Base_and_production_overlay_render_with_no_secrets_env_present_and_hold_no_secret()
    {
        // RenderedOverlay renders from a copy of deploy/k8s without any secrets/*.env, as on a clean clone.
        Assert.NotEmpty(Rendered);
        Assert.NotEmpty(RenderedOverlay.Base.Value);
        Assert.Empty(Rendered.OfKind("Secret"));
        Assert.Empty(RenderedOverlay.Base.Value.OfKind("Secret"));
    }

    [Fact]
    public void Secrets_kustomization_renders_from_the_example_one_secret_with_placeholders_only_in_the_workloads_namespace()
    {
        var secret = Assert.Single(RenderedOverlay.Secrets.Value);

        Assert.Equal("Secret", (string?)secret["kind"]);
        Assert.Equal(Khaacho.Deploy.Base.Labels.SecretName, secret.Name()); // no hash suffix: the workloads reference it by name
        Assert.Equal(ProductionPolicy.Namespace, (string?)secret["metadata"]!["namespace"]);
        Assert.All(Workloads, w => Assert.Equal((string?)w["metadata"]!["namespace"], (string?)secret["metadata"]!["namespace"]));
        Assert.Null(secret["stringData"]);
        var data = secret["data"]!.AsObject();
        Assert.Equal(RenderedOverlay.ExampleSecrets.Keys.Order(), data.Select(d => d.Key).Order());
        foreach (var (key, value) in data)
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)value!));
            Assert.True(decoded == RenderedOverlay.ExampleSecrets[key] && decoded == $"<{key}>",
                $"Secret {secret.Name()} key {key} holds something other than the example's placeholder: only the operator's git-ignored secrets.env may fill it");
        }
    }

    [Fact]
    public void No_secret_value_is_literal_and_every_secret_reference_names_a_key_the_secrets_kustomization_makes()
    {
        var references = Workloads.SelectMany(w => w.Containers()).SelectMany(c => c["env"]?.AsArray() ?? [])
            .Select(e => e!["valueFrom"]?["secretKeyRef"]).OfType<JsonNode>().ToList();

        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.Equal(Khaacho.Deploy.Base.Labels.SecretName, (string?)reference["name"]);
            Assert.Contains((string)reference["key"]!, RenderedOverlay.ExampleSecrets.Keys);
        }
        foreach (var workload in Workloads)
        {
            foreach (var env in workload.Containers().SelectMany(c => c["env"]?.AsArray() ?? []))
            {
                if (env!["value"] is not { } literal || !SecretName().IsMatch((string)env["name"]!)) continue;
                Assert.Matches(@"\$\([A-Z0-9_]+\)", (string?)literal);
            }
        }
        foreach (var configMap in Rendered.OfKind("ConfigMap"))
        {
            Assert.DoesNotContain(configMap["data"]!.AsObject(), entry => SecretName().IsMatch(entry.Key));
        }
    }

    [Fact]
    public void Every_container_image_is_tagged_and_none_is_latest()
    {
        foreach (var container in Workloads.SelectMany(w => w.Containers()))
        {
            var image = (string)container["image"]!;
            var tag = image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : "";
            Assert.True(tag.Length > 0 && tag != "latest", $"{container["name"]}: image {image} is not pinned to a tag");
        }
    }

    [Fact]
    public void Termination_grace_outlasts_the_prestop_delay_plus_the_workers_drain()
    {
        var drain = int.Parse(Drain().Match(Repository.Read("Khaacho.Worker/Hosting/Extensions.cs")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(ProductionPolicy.WorkerDrainSeconds, drain);
        foreach (var deployment in Rendered.OfKind("Deployment"))
        {
            var grace = int.Parse((string)deployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!, System.Globalization.CultureInfo.InvariantCulture);
            var preStop = int.Parse((string)deployment.Containers(includeInit: false).Single()["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(grace > preStop + drain, $"{deployment.Name()}: grace {grace} s does not cover preStop {preStop} s + drain {drain} s");
        }
    }

    [Fact]
    public void Disruption_budgets_cover_the_api_and_every_worker()
    {
        var budgets = Rendered.OfKind("PodDisruptionBudget").Select(p => (string?)p["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"]).ToHashSet();

        foreach (var name in new[] { "api", "worker-orders", "worker-ai", "worker-notifications" }) Assert.Contains(name, budgets);
    }

    [Fact]
    public void Network_policies_deny_by_default_and_open_ingress_only_to_the_api()
    {
        var policies = Rendered.OfKind("NetworkPolicy").ToList();
        var deny = policies.Single(p => p.Name() == "default-deny");
        Assert.Empty(deny["spec"]!["podSelector"]!.AsObject());
        Assert.Null(deny["spec"]!["ingress"]);

        var openIngress = policies.Where(p => p["spec"]!["ingress"]?.AsArray().Any(rule => rule!["from"] is null) == true)
            .Select(p => (string?)p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"]);
        Assert.Equal(["api"], openIngress);

        // Only what calls AI providers reaches the internet: the ai worker, and anything configured with an Ai__ section.
        var internet = policies.Where(p => p["spec"]!["egress"]?.AsArray().Any(rule => rule!["to"]?.AsArray().Any(peer => peer!["ipBlock"] is not null) == true) == true)
            .Select(p => (string)p["spec"]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!).Order().ToList();
        var aiCallers = Rendered.OfKind("ConfigMap").Where(c => c["metadata"]!["labels"]?["app.kubernetes.io/name"] is not null)
            .Where(c => (string?)c["data"]?["Worker__Type"] == "ai" || c["data"]?.AsObject().Any(e => e.Key.StartsWith("Ai__", StringComparison.Ordinal)) == true)
            .Select(c => (string)c["metadata"]!["labels"]!["app.kubernetes.io/name"]!)
            .Concat(Rendered.OfKind("Deployment").Where(d => d.Containers(includeInit: false).Any(c => c["env"]?.AsArray().Any(e => ((string)e!["name"]!).StartsWith("Ai__", StringComparison.Ordinal)) == true))
                .Select(d => (string)d["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/name"]!))
            .Distinct().Order().ToList();
        Assert.Contains("worker-ai", internet);
        Assert.Equal(aiCallers, internet);
    }

    [Fact]
    public void Istio_ejects_failing_api_instances_and_the_canary_starts_with_no_replicas()
    {
        var rule = Rendered.OfKind("DestinationRule").Single(r => r.Name() == "api");
        var outlier = rule["spec"]!["trafficPolicy"]!["outlierDetection"]!;
        Assert.Equal("5", (string?)outlier["consecutive5xxErrors"]);
        Assert.Equal("30s", (string?)outlier["interval"]);
        Assert.Equal("60s", (string?)outlier["baseEjectionTime"]);
        Assert.Equal("50", (string?)outlier["maxEjectionPercent"]);
        Assert.Equal(["stable", "canary"], rule["spec"]!["subsets"]!.AsArray().Select(s => (string?)s!["name"]));

        // Routes, retries and weights: MeshRetryTests.
        Assert.Equal("0", (string?)Rendered.OfKind("Deployment").Single(d => d.Name() == "api-canary")["spec"]!["replicas"]);
    }

    [Fact]
    public void Prometheus_rule_carries_every_alert_of_alerts_yml_and_every_app_is_scraped_under_its_job_name()
    {
        var rule = Rendered.OfKind("PrometheusRule").Single();
        var alerts = rule["spec"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => (string?)r!["alert"]).ToList();
        var expected = AlertName().Matches(Repository.Read(DeployInputs.AlertsPath)).Select(m => (string?)m.Groups[1].Value).ToList();
        Assert.Equal(expected, alerts);

        var jobs = Rendered.OfKind("ServiceMonitor").Select(m => (string?)m["spec"]!["endpoints"]![0]!["relabelings"]![0]!["replacement"]).ToHashSet();
        Assert.Contains("khaacho-api", jobs);
    }

    [GeneratedRegex(@"ShutdownTimeout = TimeSpan\.FromSeconds\((\d+)\)")]
    private static partial Regex Drain();

    /// <summary>A variable named like a credential (ends in Password, Secret, ApiKey, SigningKey, Token ...).</summary>
    [GeneratedRegex(@"(password|secret|apikey|api_key|signingkey|accesskey|token)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^\s*- alert: (\S+)", RegexOptions.Multiline)]
    private static partial Regex AlertName();
}
