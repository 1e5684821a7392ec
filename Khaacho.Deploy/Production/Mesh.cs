using k8s.Models;
using Khaacho.Deploy.Base;
using static Khaacho.Deploy.Production.ProductionPolicy;
using Khaacho.Deploy.Output;
using Health = Microsoft.Extensions.Hosting.Extensions;

namespace Khaacho.Deploy.Production;

/// <summary>Istio traffic policy and canary routing for the served workloads; Prometheus Operator monitoring.</summary>
public static class Mesh
{
    public static DestinationRule DestinationRule(Workload workload) => new(
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

    /// <summary>Methods that change nothing: the mesh may retry them even when the api may have seen the attempt.</summary>
    public static readonly IReadOnlyList<string> SafeMethods = ["GET", "HEAD"];

    /// <summary>Envoy retry-on for safe methods: any 5xx, no answer at all (reset, timeout), a failed connection.</summary>
    public const string SafeRetryOn = "5xx,reset,connect-failure";

    /// <summary>
    /// Envoy retry-on for every other method: only failures where the api provably never received the request (the TCP
    /// connection failed, or its HTTP/2 side refused the stream unprocessed). Not 5xx or reset: either can follow a
    /// committed order, and a retried POST without an Idempotency-Key would be a second order.
    /// </summary>
    public const string UnsafeRetryOn = "connect-failure,refused-stream";

    /// <summary>
    /// Two routes with the same canary weights: <c>reads</c> (GET, HEAD) and <c>writes</c> (everything else, so a method
    /// added later is not retried by default). Writes state their retries too: without a policy Istio applies its default,
    /// which retries 503s.
    /// </summary>
    public static VirtualService VirtualService(Workload workload)
    {
        var port = workload.HttpPort!.Port;
        // Canary weights: 0 → 10 → 50 → 100 (docs/DEPLOYMENT.md); applying the overlay resets them to all-stable.
        List<RouteDestination> Weights() =>
        [
            new RouteDestination(new Destination(workload.Name, "stable", new PortSelector(port)), 100),
            new RouteDestination(new Destination(workload.Name, "canary", new PortSelector(port)), 0),
        ];
        return new VirtualService(
            new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
            new VirtualServiceSpec([workload.Name],
            [
                new HttpRoute("reads", [.. SafeMethods.Select(method => new HttpMatchRequest(new StringMatch(method)))], Weights(),
                    Timeout: "30s", new HttpRetry(Attempts: 3, PerTryTimeout: "10s", RetryOn: SafeRetryOn)),
                // No per-try timeout: cutting a slow write short answers 504 while the api may still commit it.
                new HttpRoute("writes", Match: null, Weights(),
                    Timeout: "30s", new HttpRetry(Attempts: 3, PerTryTimeout: null, RetryOn: UnsafeRetryOn)),
            ]));
    }

    public static ServiceMonitor ServiceMonitor(Workload workload) => new(
        new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
        new ServiceMonitorSpec(
            new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
            // job="khaacho-<resource>" is what deploy/prometheus/alerts.yml selects on.
            [new MonitorEndpoint(workload.OperationsPort!.Name, Health.MetricsPath, "30s", [new RelabelConfig("replace", "job", $"khaacho-{workload.Name}")])]));
}
