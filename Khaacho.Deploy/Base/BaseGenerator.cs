using k8s.Models;
using Khaacho.Deploy.Manifest;
using Khaacho.Deploy.Output;

namespace Khaacho.Deploy.Base;

/// <summary>
/// deploy/k8s/base in aspirate's layout: per workload a folder with its Deployment (StatefulSet with a
/// volumeClaimTemplate when it has volumes; a Job for the migrations project), Service, ConfigMap and kustomization;
/// a top-level kustomization. The base holds no Secret: workloads reference <see cref="Labels.SecretName"/> by name,
/// and <see cref="Secrets.SecretsGenerator"/> writes the separate kustomization that creates it (so the base renders without secrets).
/// </summary>
public sealed class BaseGenerator(DeployInputs inputs, GeneratedFiles files)
{
    public const string Folder = "deploy/k8s/base";
    public const string ParametersFile = "parameters.env";
    public const string MigrationWaitContainer = "wait-for-migrations";

    private readonly ValueResolver resolver = new(inputs.Manifest);

    /// <summary>Every secret and parameter the workloads need (complete once <see cref="Generate"/> has run).</summary>
    public IReadOnlyCollection<SuppliedValue> SuppliedValues => resolver.SuppliedValues;

    public IReadOnlyList<Workload> Generate()
    {
        var migrations = inputs.Manifest.Resources.FirstOrDefault(IsMigrations);
        var migrationDependencies = migrations is null ? new HashSet<string>() : DependenciesOf(migrations);
        var workloads = new List<Workload>();
        foreach (var resource in inputs.Manifest.Resources.Where(r => r.IsWorkload))
        {
            var waits = migrations is not null && resource != migrations && resource.IsProject && DependenciesOf(resource).Overlaps(migrationDependencies);
            workloads.Add(GenerateWorkload(resource, waits ? migrations : null));
        }

        var kustomization = new Kustomization
        {
            Resources = [.. workloads.Select(w => w.Name)],
            ConfigMapGenerator = resolver.SuppliedValues.Any(v => !v.Secret) ? [new KustomizeGenerator(Labels.ParametersName, [ParametersFile])] : null,
        };
        files.AddYaml($"{Folder}/kustomization.yaml", kustomization);
        if (resolver.SuppliedValues.Any(v => !v.Secret))
            files.Add($"{Folder}/{ParametersFile}", EnvFile(resolver.SuppliedValues, secret: false, "Parameters of aspire-manifest.json without a default: set them before deploying."));
        return workloads;
    }

    /// <summary>The project that applies the database migrations and exits: <c>Khaacho.Worker migrate</c>.</summary>
    public static bool IsMigrations(ManifestResource resource) => resource.IsProject && resource.Args is ["migrate", ..];

    private HashSet<string> DependenciesOf(ManifestResource resource)
    {
        var dependencies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, value) in resource.Env)
        {
            resolver.Resolve(value, out var workloads);
            dependencies.UnionWith(workloads);
        }
        dependencies.Remove(resource.Name);
        return dependencies;
    }

    private Workload GenerateWorkload(ManifestResource resource, ManifestResource? waitFor)
    {
        var env = new EnvironmentBuilder();
        foreach (var (name, value) in resource.Env) env.Add(name, resolver.Resolve(value));
        var args = resource.Args.Select(a => env.Compose(resolver.Resolve(a))).ToList();

        var kind = resource.IsContainer ? (resource.Volumes.Count > 0 ? WorkloadKind.StatefulSet : WorkloadKind.Deployment)
            : IsMigrations(resource) ? WorkloadKind.Job : WorkloadKind.Deployment;
        var image = resource.IsContainer ? resource.Image ?? throw new InvalidDataException($"{resource.Name}: a container without an image cannot be deployed")
            : ProjectBuild.Image(inputs.RepositoryRoot, resource);
        var ports = resource.Bindings
            .Where(b => ValueResolver.ServicePort(resource, b) is not null)
            .Select(b => new V1ServicePort
            {
                Name = b.Name,
                Port = ValueResolver.ServicePort(resource, b)!.Value,
                TargetPort = ValueResolver.ContainerPort(resource, b)!.Value,
                Protocol = "TCP",
            }).ToList();

        var folder = $"{Folder}/{resource.Name}";
        var parts = new List<string>();
        if (env.ConfigMapData.Count > 0)
        {
            files.AddYaml($"{folder}/configmap.yaml", new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = Metadata(ConfigMapName(resource.Name), resource.Name),
                Data = new SortedDictionary<string, string>(env.ConfigMapData.ToDictionary(), StringComparer.Ordinal),
            });
            parts.Add("configmap.yaml");
        }

        var container = new V1Container
        {
            Name = resource.Name,
            Image = image,
            Command = resource.Entrypoint is { } entrypoint ? [entrypoint] : null,
            Args = args.Count > 0 ? args : null,
            Ports = ports.Count > 0 ? [.. ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = int.Parse(p.TargetPort.Value, System.Globalization.CultureInfo.InvariantCulture), Protocol = "TCP" })] : null,
            EnvFrom = env.ConfigMapData.Count > 0 ? [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = ConfigMapName(resource.Name) } }] : null,
            Env = env.Env,
            VolumeMounts = kind == WorkloadKind.StatefulSet
                ? [.. resource.Volumes.Select(v => new V1VolumeMount { Name = v.Name, MountPath = v.Target, ReadOnlyProperty = v.ReadOnly ? true : null })]
                : null,
        };
        var pod = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta
            {
                Labels = Labels.Of(resource.Name),
                Annotations = env.ConfigMapData.Count > 0 ? new SortedDictionary<string, string> { [Labels.ConfigHash] = env.ConfigHash() } : null,
            },
            Spec = new V1PodSpec
            {
                InitContainers = waitFor is null ? null : [new ProjectBuild(inputs, resolver).MigrationWait(waitFor)],
                Containers = [container],
                RestartPolicy = kind == WorkloadKind.Job ? "OnFailure" : null,
            },
        };

        switch (kind)
        {
            case WorkloadKind.Job:
                files.AddYaml($"{folder}/job.yaml", new V1Job
                {
                    ApiVersion = "batch/v1",
                    Kind = "Job",
                    Metadata = Metadata(resource.Name, resource.Name),
                    // A migration that keeps failing (database unreachable) is retried with backoff for a while, then shows Failed.
                    Spec = new V1JobSpec { BackoffLimit = 10, Template = pod },
                });
                parts.Add("job.yaml");
                break;
            case WorkloadKind.StatefulSet:
                files.AddYaml($"{folder}/statefulset.yaml", new V1StatefulSet
                {
                    ApiVersion = "apps/v1",
                    Kind = "StatefulSet",
                    Metadata = Metadata(resource.Name, resource.Name),
                    Spec = new V1StatefulSetSpec
                    {
                        ServiceName = resource.Name,
                        Replicas = 1,
                        Selector = new V1LabelSelector { MatchLabels = Labels.Selector(resource.Name) },
                        Template = pod,
                        VolumeClaimTemplates = [.. resource.Volumes.Select(v => new V1PersistentVolumeClaim
                        {
                            Metadata = new V1ObjectMeta { Name = v.Name, Labels = Labels.Of(resource.Name) },
                            Spec = new V1PersistentVolumeClaimSpec
                            {
                                AccessModes = ["ReadWriteOnce"],
                                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity(StorageSize) } },
                            },
                        })],
                    },
                });
                parts.Add("statefulset.yaml");
                break;
            default:
                files.AddYaml($"{folder}/deployment.yaml", new V1Deployment
                {
                    ApiVersion = "apps/v1",
                    Kind = "Deployment",
                    Metadata = Metadata(resource.Name, resource.Name),
                    // No replicas: an autoscaler owns them (the production overlay); Kubernetes' default is 1.
                    Spec = new V1DeploymentSpec
                    {
                        Selector = new V1LabelSelector { MatchLabels = Labels.Selector(resource.Name) },
                        Template = pod,
                    },
                });
                parts.Add("deployment.yaml");
                break;
        }

        if (ports.Count > 0 && kind != WorkloadKind.Job)
        {
            files.AddYaml($"{folder}/service.yaml", new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = Metadata(resource.Name, resource.Name),
                Spec = new V1ServiceSpec { Selector = Labels.Selector(resource.Name), Ports = ports },
            });
            parts.Add("service.yaml");
        }

        files.AddYaml($"{folder}/kustomization.yaml", new Kustomization { Resources = [.. parts.Order(StringComparer.Ordinal)] });
        return new Workload(resource, kind, resource.Name, image, DependenciesOf(resource), ports, waitFor is not null, pod);
    }

    /// <summary>Size of each volume claim; storage classes can grow a claim later, a StatefulSet's template cannot change.</summary>
    public const string StorageSize = "10Gi";

    /// <summary>An env file for a kustomize generator: secrets as <c>key=&lt;key&gt;</c> placeholders, parameters empty.</summary>
    public static string EnvFile(IEnumerable<SuppliedValue> supplied, bool secret, string comment)
    {
        var lines = new List<string> { "# " + comment };
        foreach (var value in supplied.Where(v => v.Secret == secret))
        {
            if (value.Hint.Length > 0) lines.Add($"# {value.Key}: {value.Hint}");
            lines.Add(secret ? $"{value.Key}=<{value.Key}>" : $"{value.Key}=");
        }
        return string.Join('\n', lines) + "\n";
    }

    public static string ConfigMapName(string resource) => $"{resource}-env";

    private static V1ObjectMeta Metadata(string name, string resource) => new() { Name = name, Labels = Labels.Of(resource) };
}
