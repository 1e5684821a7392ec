using k8s;
using k8s.Models;
using Khaacho.Core.Messaging;
using Khaacho.Deploy.Base;
using Khaacho.Deploy.Manifest;
using Khaacho.Deploy.Output;
using Health = Microsoft.Extensions.Hosting.Extensions;
using static Khaacho.Deploy.Production.ProductionPolicy;

namespace Khaacho.Deploy.Production;

/// <summary>
/// deploy/k8s/overlays/production/generated: a kustomize Component with everything in the production overlay that
/// follows from the manifest and alerts.yml (so it cannot go stale): hardening patches per workload, autoscaling,
/// disruption budgets, network policies, Istio traffic policy with a canary, monitoring. The overlay's own
/// kustomization.yaml (hand-written) adds the namespace and image tags.
/// </summary>
public sealed class ProductionGenerator(DeployInputs inputs, IReadOnlyList<Workload> workloads, GeneratedFiles files)
{
    public const string Folder = "deploy/k8s/overlays/production/generated";

    private readonly ValueResolver resolver = new(inputs.Manifest);

    public void Generate()
    {
        var resources = new List<string>();
        var patches = new List<KustomizePatch>();
        void Add(string file, params object[] objects)
        {
            if (objects.Length == 0) return;
            files.AddYaml($"{Folder}/{file}", objects);
            resources.Add(file);
        }

        Add("namespace.yaml", new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = Namespace, Labels = new SortedDictionary<string, string> { ["istio-injection"] = "enabled" } },
        });
        var served = workloads.Where(w => w.ServesTraffic).ToList();
        var workers = workloads.Where(w => w.WorkerStream is not null).ToList();
        Add("canary.yaml", [.. served.Select(Canary)]);
        Add("autoscaling.yaml", [.. served.Select(Hpa), .. workers.Select(Scaler)]);
        Add("disruption-budgets.yaml", [.. workloads.Where(w => w.Kind == WorkloadKind.Deployment && w.Resource.IsProject).Select(Pdb)]);
        Add("network-policies.yaml", [.. NetworkPolicies()]);
        Add("istio.yaml", [.. served.SelectMany(w => new object[] { DestinationRule(w), VirtualService(w) })]);
        Add("monitoring.yaml", [.. workloads.Where(w => w.Resource.IsProject && w.HttpPort is not null && w.Kind == WorkloadKind.Deployment).Select(ServiceMonitor),
            .. inputs.AlertsYaml is { } alerts ? new object[] { AlertRules.From(alerts) } : []]);

        foreach (var workload in workloads.Concat(served.Select(w => w with { Resource = w.Resource, ContainerName = w.ContainerName })).Distinct())
        {
            var file = $"patches/{workload.Name}.yaml";
            files.AddYaml($"{Folder}/{file}", Patch(workload));
            patches.Add(new KustomizePatch(file));
        }
        foreach (var workload in served)
        {
            var file = $"patches/{workload.Name}{CanarySuffix}.yaml";
            files.AddYaml($"{Folder}/{file}", Patch(workload, canary: true));
            patches.Add(new KustomizePatch(file));
        }
        files.AddYaml($"{Folder}/kustomization.yaml", Kustomization.Component(resources, patches));
    }

    /// <summary>Hardening of one workload as a strategic-merge patch: probes, resources, security, spread, graceful stop.</summary>
    private object Patch(Workload workload, bool canary = false)
    {
        var name = canary ? workload.Name + CanarySuffix : workload.Name;
        var project = workload.Resource.IsProject;
        var backing = project ? null : BackingServiceFor(workload.Image);
        var user = backing?.User ?? AppUser;
        var writable = backing?.WritablePaths ?? ["/tmp"];
        var container = new V1Container
        {
            Name = workload.ContainerName,
            Resources = backing?.Resources ?? (workload.ServesTraffic ? ApiResources : WorkerResources),
            SecurityContext = ContainerSecurity(),
            VolumeMounts = [.. writable.Select(path => new V1VolumeMount { Name = VolumeName(path), MountPath = path })],
        };
        if (workload.Kind != WorkloadKind.Job)
        {
            if (project)
            {
                container.StartupProbe = HttpProbe(Health.LivePath, periodSeconds: 5, failureThreshold: 30);
                container.ReadinessProbe = HttpProbe(Health.ReadyPath, periodSeconds: 10, failureThreshold: 3);
                container.LivenessProbe = HttpProbe(Health.LivePath, periodSeconds: 10, failureThreshold: 3);
                container.Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = PreStopSeconds } } };
            }
            else if (workload.Ports.FirstOrDefault() is { } port)
            {
                container.StartupProbe = TcpProbe(port, periodSeconds: 5, failureThreshold: 30);
                container.ReadinessProbe = TcpProbe(port, periodSeconds: 10, failureThreshold: 3);
                container.LivenessProbe = TcpProbe(port, periodSeconds: 10, failureThreshold: 3);
            }
        }

        var spec = new V1PodSpec
        {
            Containers = [container],
            InitContainers = workload.WaitsForMigrations
                ? [new V1Container
                {
                    Name = BaseGenerator.MigrationWaitContainer,
                    Resources = WaitResources,
                    // The PostgreSQL image's own user: psql needs a user that exists in /etc/passwd.
                    SecurityContext = ContainerSecurity(runAsUser: BackingServiceFor(workload.Template.Spec.InitContainers[0].Image).User),
                }]
                : null,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = user,
                RunAsGroup = user,
                FsGroup = user,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Volumes = [.. writable.Select(path => new V1Volume { Name = VolumeName(path), EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("256Mi") } })],
            TerminationGracePeriodSeconds = project && workload.Kind != WorkloadKind.Job ? TerminationGraceSeconds : null,
            TopologySpreadConstraints = workload.Kind == WorkloadKind.Deployment ? Spread(workload) : null,
        };
        var metadata = new V1ObjectMeta
        {
            Labels = workload.ServesTraffic ? new SortedDictionary<string, string> { [Track] = canary ? "canary" : "stable" } : null,
            // A Job's pod must finish: an injected sidecar would keep it running forever.
            Annotations = workload.Kind == WorkloadKind.Job ? new SortedDictionary<string, string> { ["sidecar.istio.io/inject"] = "false" } : null,
        };
        var template = new V1PodTemplateSpec { Metadata = metadata.Labels is null && metadata.Annotations is null ? null : metadata, Spec = spec };
        var patchMetadata = new V1ObjectMeta { Name = name };
        return workload.Kind switch
        {
            WorkloadKind.Job => new V1Job { ApiVersion = "batch/v1", Kind = "Job", Metadata = patchMetadata, Spec = new V1JobSpec { Template = template } },
            WorkloadKind.StatefulSet => new V1StatefulSet { ApiVersion = "apps/v1", Kind = "StatefulSet", Metadata = patchMetadata, Spec = new V1StatefulSetSpec { Template = template } },
            _ => new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = patchMetadata,
                Spec = new V1DeploymentSpec
                {
                    // Stable and canary pods share the Service; each Deployment selects only its own track.
                    Selector = workload.ServesTraffic ? new V1LabelSelector { MatchLabels = new SortedDictionary<string, string> { [Track] = canary ? "canary" : "stable" } } : null,
                    Template = template,
                    Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = 0 } },
                },
            },
        };
    }

    /// <summary>A copy of a served Deployment, scaled to 0, whose image the overlay pins separately: the canary of docs/DEPLOYMENT.md.</summary>
    private V1Deployment Canary(Workload workload)
    {
        var template = KubernetesYaml.Deserialize<V1PodTemplateSpec>(KubernetesYaml.Serialize(workload.Template));
        var (repository, tag) = SplitImage(workload.Image);
        template.Spec.Containers.Single(c => c.Name == workload.ContainerName).Image = $"{repository}{CanarySuffix}:{tag}";
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = workload.Name + CanarySuffix, Labels = Labels.Of(workload.Name) },
            Spec = new V1DeploymentSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
                Template = template,
            },
        };
    }

    public static (string Repository, string Tag) SplitImage(string image)
    {
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "");
    }

    private static V2HorizontalPodAutoscaler Hpa(Workload workload) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = workload.Name },
            MinReplicas = ApiMinReplicas,
            MaxReplicas = ApiMaxReplicas,
            Metrics =
            [
                ResourceMetric("cpu", CpuUtilization),
                ResourceMetric("memory", MemoryUtilization),
            ],
            Behavior = new V2HorizontalPodAutoscalerBehavior
            {
                // Up at once (double, or +4 pods, every 15 s); down slowly, after 5 minutes of lower load.
                ScaleUp = new V2HPAScalingRules
                {
                    StabilizationWindowSeconds = 0,
                    SelectPolicy = "Max",
                    Policies = [new V2HPAScalingPolicy { Type = "Percent", PeriodSeconds = 15, Value = 100 }, new V2HPAScalingPolicy { Type = "Pods", PeriodSeconds = 15, Value = 4 }],
                },
                ScaleDown = new V2HPAScalingRules
                {
                    StabilizationWindowSeconds = ScaleDownWindowSeconds,
                    SelectPolicy = "Min",
                    Policies = [new V2HPAScalingPolicy { Type = "Percent", PeriodSeconds = 60, Value = 20 }],
                },
            },
        },
    };

    private static V2MetricSpec ResourceMetric(string name, int utilization) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource { Name = name, Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = utilization } },
    };

    /// <summary>KEDA on the worker's stream and consumer group: pending entries (delivered, not acknowledged) and lag (not yet delivered).</summary>
    private ScaledObject Scaler(Workload workload)
    {
        var stream = workload.WorkerStream!;
        if (!Streams.All.Contains(stream)) throw new InvalidDataException($"{workload.Name}: Worker__Type '{stream}' is not one of the streams in Khaacho.Core/Messaging/Streams.cs");
        var scaling = ScalingFor(stream);
        var (address, passwordEnv) = RedisOf(workload);
        SortedDictionary<string, string> Metadata(string threshold, int value) => new(StringComparer.Ordinal)
        {
            ["address"] = address,
            ["passwordFromEnv"] = passwordEnv,
            ["stream"] = stream,
            ["consumerGroup"] = Streams.Group(stream),
            [threshold] = value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new ScaledObject(
            new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
            new ScaledObjectSpec(new ScaleTargetRef(workload.Name), MinReplicaCount: 1, MaxReplicaCount: scaling.MaxReplicas, PollingInterval: 15, CooldownPeriod: 300,
            [
                new ScaleTrigger("redis-streams", "pending-entries", Metadata("pendingEntriesCount", scaling.PendingEntries)),
                new ScaleTrigger("redis-streams", "lag", Metadata("lagCount", scaling.Lag)),
            ]));
    }

    /// <summary>The Redis a worker reads its stream from (the dependency with a redis:// binding), and the variable holding its password.</summary>
    private (string Address, string PasswordEnv) RedisOf(Workload workload)
    {
        var redis = workloads.Single(w => workload.Dependencies.Contains(w.Name) && w.Resource.Bindings.Any(b => b.Scheme == "redis"));
        var port = redis.Ports.Single(p => p.Name == redis.Resource.Bindings.First(b => b.Scheme == "redis").Name);
        var password = resolver.Resolve(redis.Resource.ConnectionString ?? "").Supplied.Single(p => p.Secret);
        var env = workload.Resource.Env.FirstOrDefault(e => resolver.Resolve(e.Value).Parts is [SuppliedPart p] && p == password).Key
            ?? throw new InvalidDataException($"{workload.Name} has no variable holding {password.Key} for KEDA's passwordFromEnv");
        return ($"{redis.Name}:{port.Port}", env);
    }

    private static V1PodDisruptionBudget Pdb(Workload workload) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
        // One pod at a time: the api keeps at least 2 of its 3+; a worker's messages wait in its stream (or are claimed) meanwhile.
        Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) } },
    };

    private IEnumerable<V1NetworkPolicy> NetworkPolicies()
    {
        yield return Policy("default-deny", new V1LabelSelector(), new V1NetworkPolicySpec { PolicyTypes = ["Ingress", "Egress"] });
        yield return Policy("cluster-services", new V1LabelSelector(), new V1NetworkPolicySpec
        {
            PolicyTypes = ["Egress"],
            Egress =
            [
                new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector(), PodSelector = MatchLabels("k8s-app", "kube-dns") }],
                    Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
                },
                // The Istio sidecar fetches its configuration and certificates from istiod.
                new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { NamespaceSelector = MatchLabels("kubernetes.io/metadata.name", "istio-system"), PodSelector = MatchLabels("app", "istiod") }],
                    Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = 15012 }],
                },
            ],
        });
        foreach (var workload in workloads)
        {
            var ingress = new List<V1NetworkPolicyIngressRule>();
            var clients = workloads.Where(w => w.Dependencies.Contains(workload.Name)).Select(w => w.Name).ToList();
            if (workload.ServesTraffic)
            {
                // The only way in from outside: the api's HTTP port, from any source (the ingress gateway, the mesh).
                ingress.Add(new V1NetworkPolicyIngressRule { Ports = [.. workload.Ports.Select(PolicyPort)] });
            }
            else if (clients.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = NamesIn(clients) }], Ports = [.. workload.Ports.Select(PolicyPort)] });
            }
            if (workload.Resource.IsProject && workload.HttpPort is { } http)
            {
                ingress.Add(new V1NetworkPolicyIngressRule
                {
                    FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = MatchLabels("kubernetes.io/metadata.name", "monitoring") }],
                    Ports = [PolicyPort(http)],
                });
            }

            var egress = new List<V1NetworkPolicyEgressRule>();
            foreach (var dependency in workloads.Where(w => workload.Dependencies.Contains(w.Name)))
            {
                egress.Add(new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { PodSelector = NamesIn([dependency.Name]) }], Ports = [.. dependency.Ports.Select(PolicyPort)] });
            }
            if (workload.CallsAiProviders)
            {
                // AI providers (OpenAI, Anthropic, ...) over HTTPS on the internet; nothing private.
                egress.Add(new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"] } }],
                    Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = 443 }],
                });
            }
            var types = new List<string>();
            if (ingress.Count > 0) types.Add("Ingress");
            if (egress.Count > 0) types.Add("Egress");
            if (types.Count == 0) continue;
            yield return Policy(workload.Name, new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) }, new V1NetworkPolicySpec
            {
                PolicyTypes = types,
                Ingress = ingress.Count > 0 ? ingress : null,
                Egress = egress.Count > 0 ? egress : null,
            });
        }
    }

    private static V1NetworkPolicy Policy(string name, V1LabelSelector selector, V1NetworkPolicySpec spec)
    {
        spec.PodSelector = selector;
        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = name, Labels = new SortedDictionary<string, string> { [Labels.PartOf] = Labels.System } },
            Spec = spec,
        };
    }

    private static V1NetworkPolicyPort PolicyPort(V1ServicePort port) => new() { Protocol = "TCP", Port = int.Parse(port.TargetPort.Value, System.Globalization.CultureInfo.InvariantCulture) };

    private static V1LabelSelector MatchLabels(string key, string value) => new() { MatchLabels = new SortedDictionary<string, string> { [key] = value } };

    private static V1LabelSelector NamesIn(List<string> names) => new()
    {
        MatchExpressions = [new V1LabelSelectorRequirement { Key = Labels.Name, OperatorProperty = "In", Values = [.. names.Order(StringComparer.Ordinal)] }],
    };

    private static DestinationRule DestinationRule(Workload workload) => new(
        new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
        new DestinationRuleSpec(
            workload.Name,
            new TrafficPolicy(
                new ConnectionPool(new TcpPool(MaxConnections: 1000, ConnectTimeout: "5s"),
                    new HttpPool(Http1MaxPendingRequests: 1000, Http2MaxRequests: 1000, MaxRequestsPerConnection: 100, MaxRetries: 3)),
                // An instance answering 5 5xx in a row is ejected for 60 s (checked every 30 s); at most half of them at once.
                new OutlierDetection(Consecutive5xxErrors: 5, Interval: "30s", BaseEjectionTime: "60s", MaxEjectionPercent: 50)),
            [
                new Subset("stable", new SortedDictionary<string, string> { [Track] = "stable" }),
                new Subset("canary", new SortedDictionary<string, string> { [Track] = "canary" }),
            ]));

    private static VirtualService VirtualService(Workload workload)
    {
        var port = workload.HttpPort!.Port;
        return new VirtualService(
            new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
            new VirtualServiceSpec([workload.Name],
            [
                new HttpRoute("primary",
                [
                    // Canary weights: 0 → 10 → 50 → 100 (docs/DEPLOYMENT.md); applying the overlay resets them to all-stable.
                    new RouteDestination(new Destination(workload.Name, "stable", new PortSelector(port)), 100),
                    new RouteDestination(new Destination(workload.Name, "canary", new PortSelector(port)), 0),
                ],
                Timeout: "30s",
                // Order intake is idempotent by Idempotency-Key, so retrying a 5xx cannot create a second order.
                new HttpRetry(Attempts: 3, PerTryTimeout: "10s", RetryOn: "5xx,reset,connect-failure")),
            ]));
    }

    private static ServiceMonitor ServiceMonitor(Workload workload) => new(
        new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
        new ServiceMonitorSpec(
            new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
            // job="khaacho-<resource>" is what deploy/prometheus/alerts.yml selects on.
            [new MonitorEndpoint(workload.HttpPort!.Name, Health.MetricsPath, "30s", [new RelabelConfig("replace", "job", $"khaacho-{workload.Name}")])]));

    private static List<V1TopologySpreadConstraint> Spread(Workload workload) =>
    [
        new() { MaxSkew = 1, TopologyKey = "topology.kubernetes.io/zone", WhenUnsatisfiable = "ScheduleAnyway", LabelSelector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) } },
        new() { MaxSkew = 1, TopologyKey = "kubernetes.io/hostname", WhenUnsatisfiable = "ScheduleAnyway", LabelSelector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) } },
    ];

    private static V1SecurityContext ContainerSecurity(long? runAsUser = null) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = runAsUser,
        RunAsGroup = runAsUser,
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    private static V1Probe HttpProbe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = "http" },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 3,
        FailureThreshold = failureThreshold,
    };

    private static V1Probe TcpProbe(V1ServicePort port, int periodSeconds, int failureThreshold) => new()
    {
        TcpSocket = new V1TCPSocketAction { Port = port.Name },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 3,
        FailureThreshold = failureThreshold,
    };

    private static string VolumeName(string path) => path.Trim('/').Replace('/', '-');
}
