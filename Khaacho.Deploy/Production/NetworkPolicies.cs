using k8s.Models;
using Khaacho.Deploy.Base;

namespace Khaacho.Deploy.Production;

/// <summary>Deny by default; each workload may reach what its environment references; only the api is open to ingress.</summary>
public sealed class NetworkPolicies(IReadOnlyList<Workload> workloads)
{
    public IEnumerable<V1NetworkPolicy> All()
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
                // The only way in from outside: the api's HTTP port, from any source (the ingress gateway, the mesh); not its management port.
                ingress.Add(new V1NetworkPolicyIngressRule { Ports = [.. workload.Ports.Where(p => p.Name != "management").Select(PolicyPort)] });
            }
            else if (clients.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = NamesIn(clients) }], Ports = [.. workload.Ports.Select(PolicyPort)] });
            }
            if (workload.Resource.IsProject && workload.OperationsPort is { } operations)
            {
                ingress.Add(new V1NetworkPolicyIngressRule
                {
                    FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = MatchLabels("kubernetes.io/metadata.name", "monitoring") }],
                    Ports = [PolicyPort(operations)],
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
}
