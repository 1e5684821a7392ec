using k8s.Models;
using Khaacho.Deploy.Base;
using static Khaacho.Deploy.Production.ProductionPolicy;
using Khaacho.Core.Messaging;
using Khaacho.Deploy.Manifest;
using Khaacho.Deploy.Output;

namespace Khaacho.Deploy.Production;

/// <summary>Autoscaling (HPA for the api, KEDA on each worker's stream) and disruption budgets.</summary>
public sealed class Availability(IReadOnlyList<Workload> workloads, ValueResolver resolver)
{
    public static V2HorizontalPodAutoscaler Hpa(Workload workload) => new()
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
    public ScaledObject Scaler(Workload workload)
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

    public static V1PodDisruptionBudget Pdb(Workload workload) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
        // One pod at a time: the api keeps at least 2 of its 3+; a worker's messages wait in its stream (or are claimed) meanwhile.
        Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) } },
    };
}
