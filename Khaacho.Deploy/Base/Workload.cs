using k8s.Models;
using Khaacho.Deploy.Manifest;

namespace Khaacho.Deploy.Base;

public enum WorkloadKind { Deployment, StatefulSet, Job }

/// <summary>One manifest resource as it runs in the cluster; what the production overlay needs to know about it.</summary>
/// <param name="Dependencies">The workloads whose Services it connects to (from its resolved environment).</param>
/// <param name="Ports">Its Service ports, by binding name.</param>
public sealed record Workload(
    ManifestResource Resource,
    WorkloadKind Kind,
    string ContainerName,
    string Image,
    IReadOnlySet<string> Dependencies,
    IReadOnlyList<V1ServicePort> Ports,
    bool WaitsForMigrations,
    V1PodTemplateSpec Template)
{
    public string Name => Resource.Name;

    /// <summary>The stream a worker consumes (<c>Worker__Type</c>), null for anything else.</summary>
    public string? WorkerStream => Resource.IsProject ? Resource.EnvValue("Worker__Type") : null;

    /// <summary>A long-running project that is not a worker: it serves HTTP traffic (the api).</summary>
    public bool ServesTraffic => Kind == WorkloadKind.Deployment && Resource.IsProject && WorkerStream is null;

    /// <summary>Calls AI providers on the internet: the ai worker, or anything configured with an <c>Ai__</c> section.</summary>
    public bool CallsAiProviders => Resource.IsProject && (WorkerStream == "ai" || Resource.Env.Any(e => e.Key.StartsWith("Ai__", StringComparison.Ordinal)));

    public V1ServicePort? HttpPort => Ports.FirstOrDefault(p => p.Name == "http");

    /// <summary>Where probes and Prometheus go: the api's management port (the public one serves no health or metrics), else the HTTP port.</summary>
    public V1ServicePort? OperationsPort => Ports.FirstOrDefault(p => p.Name == "management") ?? HttpPort;
}
