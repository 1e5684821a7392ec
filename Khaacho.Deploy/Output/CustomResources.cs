using k8s;
using k8s.Models;

namespace Khaacho.Deploy.Output;

// Typed models for the custom resources of KEDA, Istio and the Prometheus Operator, with only the fields we set.
// KubernetesYaml writes property names in camelCase and drops nulls.

public abstract class CustomResource : IKubernetesObject<V1ObjectMeta>
{
    protected CustomResource(string apiVersion, string kind, V1ObjectMeta metadata)
    {
        ApiVersion = apiVersion;
        Kind = kind;
        Metadata = metadata;
    }

    public string ApiVersion { get; set; }
    public string Kind { get; set; }
    public V1ObjectMeta Metadata { get; set; }
}

public sealed class ScaledObject(V1ObjectMeta metadata, ScaledObjectSpec spec) : CustomResource("keda.sh/v1alpha1", "ScaledObject", metadata)
{
    public ScaledObjectSpec Spec { get; set; } = spec;
}

public sealed record ScaledObjectSpec(ScaleTargetRef ScaleTargetRef, int MinReplicaCount, int MaxReplicaCount, int PollingInterval, int CooldownPeriod, List<ScaleTrigger> Triggers);

public sealed record ScaleTargetRef(string Name);

public sealed record ScaleTrigger(string Type, string Name, SortedDictionary<string, string> Metadata);

public sealed class DestinationRule(V1ObjectMeta metadata, DestinationRuleSpec spec) : CustomResource("networking.istio.io/v1", "DestinationRule", metadata)
{
    public DestinationRuleSpec Spec { get; set; } = spec;
}

public sealed record DestinationRuleSpec(string Host, TrafficPolicy TrafficPolicy, List<Subset> Subsets);

public sealed record TrafficPolicy(ConnectionPool ConnectionPool, OutlierDetection OutlierDetection);

public sealed record ConnectionPool(TcpPool Tcp, HttpPool Http);

public sealed record TcpPool(int MaxConnections, string ConnectTimeout);

public sealed record HttpPool(int Http1MaxPendingRequests, int Http2MaxRequests, int MaxRequestsPerConnection, int MaxRetries);

public sealed record OutlierDetection(int Consecutive5xxErrors, string Interval, string BaseEjectionTime, int MaxEjectionPercent);

public sealed record Subset(string Name, SortedDictionary<string, string> Labels);

public sealed class VirtualService(V1ObjectMeta metadata, VirtualServiceSpec spec) : CustomResource("networking.istio.io/v1", "VirtualService", metadata)
{
    public VirtualServiceSpec Spec { get; set; } = spec;
}

public sealed record VirtualServiceSpec(List<string> Hosts, List<HttpRoute> Http);

/// <param name="Match">Null: the route takes every request the routes before it did not.</param>
public sealed record HttpRoute(string Name, List<HttpMatchRequest>? Match, List<RouteDestination> Route, string Timeout, HttpRetry Retries);

/// <summary>One alternative of a route's match list (alternatives are ORed).</summary>
public sealed record HttpMatchRequest(StringMatch Method);

public sealed record StringMatch(string Exact);

public sealed record RouteDestination(Destination Destination, int Weight);

public sealed record Destination(string Host, string Subset, PortSelector Port);

public sealed record PortSelector(int Number);

/// <param name="PerTryTimeout">Null: an attempt may take the route's whole timeout.</param>
public sealed record HttpRetry(int Attempts, string? PerTryTimeout, string RetryOn);

public sealed class ServiceMonitor(V1ObjectMeta metadata, ServiceMonitorSpec spec) : CustomResource("monitoring.coreos.com/v1", "ServiceMonitor", metadata)
{
    public ServiceMonitorSpec Spec { get; set; } = spec;
}

public sealed record ServiceMonitorSpec(V1LabelSelector Selector, List<MonitorEndpoint> Endpoints);

public sealed record MonitorEndpoint(string Port, string Path, string Interval, List<RelabelConfig> Relabelings);

public sealed record RelabelConfig(string Action, string TargetLabel, string Replacement);

public sealed class PrometheusRule(V1ObjectMeta metadata, PrometheusRuleSpec spec) : CustomResource("monitoring.coreos.com/v1", "PrometheusRule", metadata)
{
    public PrometheusRuleSpec Spec { get; set; } = spec;
}

public sealed class PrometheusRuleSpec
{
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    public string Name { get; set; } = "";
    public List<AlertRule> Rules { get; set; } = [];
}

public sealed class AlertRule
{
    public string Alert { get; set; } = "";
    public string Expr { get; set; } = "";
    public string? For { get; set; }
    public SortedDictionary<string, string>? Labels { get; set; }
    public SortedDictionary<string, string>? Annotations { get; set; }
}
