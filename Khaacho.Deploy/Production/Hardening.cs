using k8s.Models;
using Khaacho.Deploy.Base;
using static Khaacho.Deploy.Production.ProductionPolicy;
using Health = Microsoft.Extensions.Hosting.Extensions;

namespace Khaacho.Deploy.Production;

/// <summary>Production hardening, one patch per workload (and per canary).</summary>
public static class Hardening
{
    /// <summary>Hardening of one workload as a strategic-merge patch: probes, resources, security, spread, graceful stop.</summary>
    public static object Patch(Workload workload, bool canary = false)
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
                var probePort = workload.OperationsPort?.Name ?? "http";
                container.StartupProbe = HttpProbe(probePort, Health.LivePath, periodSeconds: 5, failureThreshold: 30);
                container.ReadinessProbe = HttpProbe(probePort, Health.ReadyPath, periodSeconds: 10, failureThreshold: 3);
                container.LivenessProbe = HttpProbe(probePort, Health.LivePath, periodSeconds: 10, failureThreshold: 3);
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

    private static V1Probe HttpProbe(string port, string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
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
