using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Khaacho.Deploy.Tests;

/// <summary>
/// The api's VirtualService as kubectl renders it, read the way Envoy picks a route: the first whose match admits the
/// request. Envoy's retry-on values (router filter docs): 5xx and reset also fire after the api received the request;
/// connect-failure, refused-stream and reset-before-request only before.
/// </summary>
public sealed partial class MeshRetryTests
{
    private static readonly HashSet<string> BeforeTheApiReceivedIt = ["connect-failure", "refused-stream", "reset-before-request"];

    private static JsonNode VirtualService => RenderedOverlay.Production.Value.OfKind("VirtualService").Single(v => v.Name() == "api");

    private static IEnumerable<JsonNode> Routes => VirtualService["spec"]!["http"]!.AsArray().Select(r => r!);

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public void A_write_is_retried_only_when_the_api_provably_never_received_it(string method)
    {
        var routes = Routes.Where(route => MayTake(route, method)).ToList();

        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            // No retries at all would not do: Istio then applies its default policy, which retries 503s.
            var retries = route["retries"];
            Assert.True(retries is not null, $"route {route["name"]} takes {method} with no retry policy: Istio's default retries 503s");
            var retryOn = RetryOn(retries);
            Assert.True(retryOn.IsSubsetOf(BeforeTheApiReceivedIt),
                $"route {route["name"]} retries {method} on {string.Join(',', retryOn.Except(BeforeTheApiReceivedIt))}, which can follow a committed request");
            Assert.Contains("connect-failure", retryOn);
        }
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public void A_read_is_retried_on_5xx_reset_and_connect_failure_within_10_s_per_try(string method)
    {
        var route = Routes.First(route => Takes(route, method));

        Assert.Equal(new[] { "5xx", "connect-failure", "reset" }, RetryOn(route["retries"]).Order());
        Assert.Equal("3", (string?)route["retries"]!["attempts"]);
        Assert.Equal("10s", (string?)route["retries"]!["perTryTimeout"]);
        Assert.Equal("30s", (string?)route["timeout"]);
    }

    [Fact]
    public void Every_route_sends_all_traffic_to_stable_until_a_canary_starts()
    {
        Assert.True(Routes.Count() >= 2, "reads and writes should be separate routes");
        foreach (var route in Routes)
        {
            var weights = route["route"]!.AsArray().ToDictionary(d => (string)d!["destination"]!["subset"]!, d => (string?)d!["weight"]);
            Assert.Equal(new Dictionary<string, string?> { ["stable"] = "100", ["canary"] = "0" }, weights);
        }
    }

    [Fact]
    public void The_deployment_guide_shifts_the_canary_weights_of_every_route()
    {
        var patched = CanaryWeight().Matches(Repository.Read("docs/DEPLOYMENT.md"))
            .Select(m => (Route: int.Parse(m.Groups[1].Value), Destination: int.Parse(m.Groups[2].Value), Argument: m.Groups[3].Value))
            .ToHashSet();
        var expected = Routes.SelectMany((route, r) => route["route"]!.AsArray()
                .Select((d, i) => (Route: r, Destination: i, Argument: (string)d!["destination"]!["subset"]! == "stable" ? "1" : "2")))
            .ToHashSet();

        Assert.Equal(expected.Order(), patched.Order());
    }

    /// <summary>Whether some match alternative of the route could admit the method (no match list admits everything).</summary>
    private static bool MayTake(JsonNode route, string method) =>
        route["match"] is not JsonArray matches || matches.Any(m => m!["method"] is not { } condition || Admits(condition, method));

    /// <summary>Whether the route surely takes the method: no match list, or an alternative that only names methods and admits it.</summary>
    private static bool Takes(JsonNode route, string method) =>
        route["match"] is not JsonArray matches
        || matches.Any(m => m!.AsObject().All(c => c.Key == "method") && m["method"] is { } condition && Admits(condition, method));

    private static bool Admits(JsonNode condition, string method) =>
        (string?)condition["exact"] == method
        || condition["prefix"] is { } prefix && method.StartsWith((string)prefix!, StringComparison.Ordinal)
        || condition["regex"] is { } regex && Regex.IsMatch(method, $"^(?:{(string)regex!})$");

    private static HashSet<string> RetryOn(JsonNode? retries) =>
        ((string?)retries?["retryOn"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();

    [GeneratedRegex(@"/spec/http/(\d+)/route/(\d+)/weight\\"",\\""value\\"":\$(\d)")]
    private static partial Regex CanaryWeight();
}
