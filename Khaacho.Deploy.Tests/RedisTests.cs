using System.Text.Json.Nodes;
using k8s.Models;

namespace Khaacho.Deploy.Tests;

/// <summary>The Redis StatefulSet as the production overlay renders it: durable, bounded, never evicting.</summary>
public sealed class RedisTests
{
    private static JsonObject StatefulSet => RenderedOverlay.Production.Value.OfKind("StatefulSet").Single(s => s.Name() == "redis");

    private static JsonNode Container => StatefulSet.Containers(includeInit: false).Single(c => (string?)c["name"] == "redis");

    [Fact]
    public void Redis_logs_every_write_to_an_append_only_file_synced_each_second()
    {
        var options = ServerOptions();

        Assert.Equal("yes", options.GetValueOrDefault("appendonly"));
        Assert.Equal("everysec", options.GetValueOrDefault("appendfsync"));
    }

    [Fact]
    public void Redis_takes_no_rdb_snapshots_which_it_would_never_load_with_the_append_only_file_on()
    {
        Assert.Equal("", ServerOptions().GetValueOrDefault("save"));
    }

    [Fact]
    public void Redis_refuses_writes_when_full_instead_of_evicting_stream_or_claim_keys()
    {
        var options = ServerOptions();

        Assert.Equal("noeviction", options.GetValueOrDefault("maxmemory-policy"));
        Assert.True(options.ContainsKey("maxmemory"), "no maxmemory: Redis grows until the kernel kills it at the container limit");
    }

    [Fact]
    public void Redis_maxmemory_is_at_most_half_the_container_limit_which_it_also_requests()
    {
        var limit = new ResourceQuantity((string)Container["resources"]!["limits"]!["memory"]!).ToInt64();
        var request = new ResourceQuantity((string)Container["resources"]!["requests"]!["memory"]!).ToInt64();
        var maxMemory = RedisBytes(ServerOptions()["maxmemory"]);

        // An AOF rewrite forks; under write load copy-on-write can double the memory until the child exits.
        Assert.True(maxMemory * 2 <= limit, $"maxmemory {maxMemory} B leaves no room for a fork under the {limit} B limit");
        Assert.True(maxMemory >= limit / 4, $"maxmemory {maxMemory} B wastes most of the {limit} B limit");
        Assert.Equal(limit, request);
    }

    [Fact]
    public void Redis_keeps_its_data_directory_on_a_persistent_volume_claim()
    {
        var claims = StatefulSet["spec"]!["volumeClaimTemplates"]!.AsArray().Select(c => c!.Name()).ToHashSet();
        var data = Container["volumeMounts"]!.AsArray().Single(m => (string?)m!["mountPath"] == "/data")!;

        Assert.Contains((string)data["name"]!, claims);
    }

    /// <summary>The options of the <c>redis-server</c> command line the container's shell runs (the last of a repeated one wins).</summary>
    private static Dictionary<string, string> ServerOptions()
    {
        var args = Container["args"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal("-c", args[0]);
        var words = args[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("redis-server", words[0]);
        var options = new Dictionary<string, string>();
        for (var i = 1; i < words.Length; i++)
        {
            if (!words[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var value = i + 1 < words.Length && !words[i + 1].StartsWith("--", StringComparison.Ordinal) ? words[i + 1] : "";
            options[words[i][2..]] = value is "\"\"" or "''" ? "" : value;
        }
        return options;
    }

    /// <summary>Redis memory units: <c>mb</c> is 1024², <c>m</c> 1000² (redis.conf).</summary>
    private static long RedisBytes(string value)
    {
        var digits = new string([.. value.TakeWhile(char.IsDigit)]);
        var unit = value[digits.Length..].ToLowerInvariant();
        var multiplier = unit switch { "" or "b" => 1L, "k" => 1000, "kb" => 1024, "m" => 1000_000, "mb" => 1024 * 1024, "g" => 1000_000_000, "gb" => 1024L * 1024 * 1024, _ => throw new FormatException($"maxmemory {value}") };
        return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) * multiplier;
    }
}
