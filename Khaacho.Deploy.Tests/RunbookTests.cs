using System.Text.RegularExpressions;
using k8s;
using Khaacho.Deploy.Output;

namespace Khaacho.Deploy.Tests;

public sealed partial class RunbookTests
{
    [Fact]
    public void Every_alert_links_to_its_own_section_of_the_runbook()
    {
        var alerts = KubernetesYaml.Deserialize<PrometheusRuleSpec>(Repository.Read(DeployInputs.AlertsPath), strict: true)
            .Groups.SelectMany(g => g.Rules).ToList();
        var anchors = Heading().Matches(Repository.Read("docs/RUNBOOK.md")).Select(m => GitHubSlug(m.Groups[1].Value)).ToHashSet();

        Assert.NotEmpty(alerts);
        foreach (var alert in alerts)
        {
            var url = alert.Annotations?.GetValueOrDefault("runbook_url");
            Assert.True(url is not null, $"{alert.Alert} has no runbook_url");
            Assert.StartsWith("docs/RUNBOOK.md#", url);
            var anchor = url["docs/RUNBOOK.md#".Length..];
            Assert.True(anchors.Contains(anchor), $"{alert.Alert}: docs/RUNBOOK.md has no section #{anchor}");
            Assert.Equal(GitHubSlug(alert.Alert), anchor);
        }
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static string GitHubSlug(string heading) =>
        string.Concat(heading.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-');

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
