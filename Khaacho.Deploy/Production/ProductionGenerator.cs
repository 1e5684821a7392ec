using k8s;
using k8s.Models;
using Khaacho.Deploy.Base;
using Khaacho.Deploy.Manifest;
using Khaacho.Deploy.Output;
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
        var availability = new Availability(workloads, resolver);
        Add("autoscaling.yaml", [.. served.Select(Availability.Hpa), .. workers.Select(availability.Scaler)]);
        Add("disruption-budgets.yaml", [.. workloads.Where(w => w.Kind == WorkloadKind.Deployment && w.Resource.IsProject).Select(Availability.Pdb)]);
        Add("network-policies.yaml", [.. new NetworkPolicies(workloads).All()]);
        Add("istio.yaml", [.. served.SelectMany(w => new object[] { Mesh.DestinationRule(w), Mesh.VirtualService(w) })]);
        Add("monitoring.yaml", [.. workloads.Where(w => w.Resource.IsProject && w.HttpPort is not null && w.Kind == WorkloadKind.Deployment).Select(Mesh.ServiceMonitor),
            .. inputs.AlertsYaml is { } alerts ? new object[] { AlertRules.From(alerts) } : []]);

        foreach (var workload in workloads)
        {
            var file = $"patches/{workload.Name}.yaml";
            files.AddYaml($"{Folder}/{file}", Hardening.Patch(workload));
            patches.Add(new KustomizePatch(file));
        }
        foreach (var workload in served)
        {
            var file = $"patches/{workload.Name}{CanarySuffix}.yaml";
            files.AddYaml($"{Folder}/{file}", Hardening.Patch(workload, canary: true));
            patches.Add(new KustomizePatch(file));
        }
        files.AddYaml($"{Folder}/kustomization.yaml", Kustomization.Component(resources, patches));
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
}
