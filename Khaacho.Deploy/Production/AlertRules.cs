using k8s;
using k8s.Models;
using Khaacho.Deploy.Base;
using Khaacho.Deploy.Output;

namespace Khaacho.Deploy.Production;

/// <summary>The PrometheusRule holding deploy/prometheus/alerts.yml's groups unchanged (promtool tests that file).</summary>
public static class AlertRules
{
    public static PrometheusRule From(string alertsYaml)
    {
        // Strict: a key this model does not know (a new rule field) fails here instead of silently vanishing.
        var spec = KubernetesYaml.Deserialize<PrometheusRuleSpec>(alertsYaml, strict: true);
        return new PrometheusRule(new V1ObjectMeta { Name = "khaacho-alerts", Labels = new SortedDictionary<string, string> { [Labels.PartOf] = Labels.System } }, spec);
    }
}
