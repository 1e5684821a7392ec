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

    public static VirtualService VirtualService(Workload workload)
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
                // A retried POST /orders with an Idempotency-Key gets the first attempt's answer; one without a key could repeat an order.
                new HttpRetry(Attempts: 3, PerTryTimeout: "10s", RetryOn: "5xx,reset,connect-failure")),
            ]));
    }

    public static ServiceMonitor ServiceMonitor(Workload workload) => new(
        new V1ObjectMeta { Name = workload.Name, Labels = Labels.Of(workload.Name) },
        new ServiceMonitorSpec(
            new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
            // job="khaacho-<resource>" is what deploy/prometheus/alerts.yml selects on.
            [new MonitorEndpoint(workload.OperationsPort!.Name, Health.MetricsPath, "30s", [new RelabelConfig("replace", "job", $"khaacho-{workload.Name}")])]));
}
