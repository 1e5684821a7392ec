using k8s.Models;

namespace Khaacho.Deploy.Production;

/// <summary>The production overlay's numbers, in one place (docs/DEPLOYMENT.md explains them).</summary>
public static class ProductionPolicy
{
    public const string Namespace = "khaacho";

    /// <summary>The .NET images' non-root <c>app</c> user (ContainerUser in the csproj files).</summary>
    public const long AppUser = 1654;

    /// <summary>
    /// A worker drains for up to HostOptions.ShutdownTimeout (45 s, Khaacho.Worker/Hosting/Extensions.cs) after SIGTERM;
    /// the preStop delay comes first (endpoints and the mesh stop sending traffic), so the grace covers both with room.
    /// A test reads the Worker code and keeps these in step.
    /// </summary>
    public const int WorkerDrainSeconds = 45;
    public const int PreStopSeconds = 5;
    public const int TerminationGraceSeconds = 60;

    public const int ApiMinReplicas = 3;
    public const int ApiMaxReplicas = 20;
    public const int CpuUtilization = 70;
    public const int MemoryUtilization = 80;
    public const int ScaleDownWindowSeconds = 300;

    /// <summary>Label that tells the stable pods of a served Deployment from its canary's (Istio subsets).</summary>
    public const string Track = "khaacho.io/track";
    public const string CanarySuffix = "-canary";

    /// <summary>Per worker stream: maximum replicas and the backlog per replica that adds one (KEDA redis-streams).</summary>
    public static WorkerScaling ScalingFor(string stream) => stream switch
    {
        "orders" => new(MaxReplicas: 10, PendingEntries: 20, Lag: 100),
        // AI providers rate-limit and cost money: fewer replicas, and each handles fewer messages at once.
        "ai" => new(MaxReplicas: 5, PendingEntries: 5, Lag: 20),
        "notifications" => new(MaxReplicas: 5, PendingEntries: 20, Lag: 200),
        _ => new(MaxReplicas: 5, PendingEntries: 20, Lag: 100),
    };

    public static V1ResourceRequirements ApiResources => Resources("250m", "256Mi", "1", "512Mi");
    public static V1ResourceRequirements WorkerResources => Resources("100m", "256Mi", "1", "512Mi");
    public static V1ResourceRequirements WaitResources => Resources("10m", "32Mi", "100m", "64Mi");

    /// <summary>Backing services by image: the user the image runs as and the paths it writes besides its volumes.</summary>
    public static BackingService BackingServiceFor(string image) => image switch
    {
        _ when image.Contains("/postgres:", StringComparison.Ordinal) =>
            new(User: 999, WritablePaths: ["/tmp", "/var/run/postgresql"], Resources("250m", "512Mi", "2", "2Gi")),
        // Memory requested as high as the limit: Redis holds queued work, and a pod using more than it requested is the
        // first one the kubelet evicts under node memory pressure. Its maxmemory (the AppHost's RedisDurability) is half the limit.
        _ when image.Contains("/redis:", StringComparison.Ordinal) =>
            new(User: 999, WritablePaths: ["/tmp"], Resources("100m", "1Gi", "1", "1Gi")),
        _ => throw new InvalidDataException($"no production settings for the image {image}: add it to ProductionPolicy.BackingServiceFor"),
    };

    public static V1ResourceRequirements Resources(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new SortedDictionary<string, ResourceQuantity> { ["cpu"] = new(cpuRequest), ["memory"] = new(memoryRequest) },
        Limits = new SortedDictionary<string, ResourceQuantity> { ["cpu"] = new(cpuLimit), ["memory"] = new(memoryLimit) },
    };
}

public sealed record WorkerScaling(int MaxReplicas, int PendingEntries, int Lag);

public sealed record BackingService(long User, IReadOnlyList<string> WritablePaths, V1ResourceRequirements Resources);
