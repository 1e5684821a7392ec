using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Khaacho.Deploy.Tests;

/// <summary>
/// Locally Redis is Debian's 7.0 and PostgreSQL 15; the manifests deploy newer ones (docs/DEPLOYMENT.md, "Versions").
/// Every test runs on the local ones, so code must use nothing the local servers lack.
/// </summary>
public sealed partial class VersionSkewTests
{
    private static readonly string[] ApplicationProjects = ["Khaacho.Core", "Khaacho.Worker", "Khaacho.Api", "Khaacho.Ai", "Khaacho.ServiceDefaults"];

    /// <summary>Redis commands and stream options newer than 7.0, with the version that added them.</summary>
    private static readonly Dictionary<string, string> NewerRedisCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["WAITAOF"] = "7.2",
        ["HEXPIRE"] = "7.4", ["HPEXPIRE"] = "7.4", ["HEXPIREAT"] = "7.4", ["HPEXPIREAT"] = "7.4", ["HTTL"] = "7.4", ["HPTTL"] = "7.4",
        ["HEXPIRETIME"] = "7.4", ["HPEXPIRETIME"] = "7.4", ["HPERSIST"] = "7.4",
        ["HGETDEL"] = "8.0", ["HGETEX"] = "8.0", ["HSETEX"] = "8.0",
        ["XDELEX"] = "8.2", ["XACKDEL"] = "8.2",
        ["ACKED"] = "8.2", ["KEEPREF"] = "8.2", ["DELREF"] = "8.2", // XADD / XTRIM options
        ["MSETEX"] = "8.4", ["DELEX"] = "8.4", ["DIGEST"] = "8.4",
    };

    [Fact]
    public void The_deployment_guide_names_the_redis_and_postgresql_images_the_manifest_deploys()
    {
        var resources = JsonNode.Parse(Repository.Read("aspire-manifest.json"))!["resources"]!.AsObject();
        var guide = Repository.Read("docs/DEPLOYMENT.md");
        var versions = guide[guide.IndexOf("### Versions", StringComparison.Ordinal)..];

        foreach (var name in new[] { "redis", "postgres" })
        {
            var image = (string)resources[name]!["image"]!;
            Assert.Contains($"`{image}`", versions);
        }
    }

    [Fact]
    public void PostgreSQL_18_keeps_its_data_in_a_volume_mounted_at_var_lib_postgresql()
    {
        var postgres = RenderedOverlay.Production.Value.OfKind("StatefulSet").Single(s => s.Name() == "postgres");
        var container = postgres.Containers(includeInit: false).Single(c => ((string)c["image"]!).Contains("/postgres:", StringComparison.Ordinal));
        var major = int.Parse(Regex.Match((string)container["image"]!, @":(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var claims = postgres["spec"]!["volumeClaimTemplates"]!.AsArray().Select(c => c!.Name()).ToHashSet();
        var data = container["volumeMounts"]!.AsArray().Where(m => claims.Contains((string)m!["name"]!)).Select(m => (string?)m!["mountPath"]).Single();

        // From 18 the image keeps PGDATA in /var/lib/postgresql/<major>/docker and refuses to start on a volume at .../data.
        Assert.True(major < 18 || data == "/var/lib/postgresql", $"postgres:{major} with its data volume at {data}");
    }

    [Fact]
    public void No_code_path_uses_a_redis_command_or_option_the_local_redis_7_0_lacks()
    {
        var uses = SourceFiles().SelectMany(f => NewerRedisUses(File.ReadAllText(f)).Select(use => $"{Path.GetRelativePath(Repository.Root, f)}: {use}")).ToList();

        Assert.True(uses.Count == 0, string.Join('\n', uses));
    }

    [Fact]
    public void No_sql_uses_a_postgresql_feature_the_local_postgresql_15_lacks()
    {
        var uses = SourceFiles().SelectMany(f => NewerPostgresSql().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(Repository.Root, f)}: {m.Value}")).ToList();

        Assert.True(uses.Count == 0, string.Join('\n', uses));
    }

    [Theory]
    [InlineData("redis.call('XADD', @stream, 'ACKED', '*', 'payload', @payload)", "ACKED (Redis 8.2)")]
    [InlineData("""redis.call("XACKDEL", KEYS[1], ARGV[1])""", "XACKDEL (Redis 8.2)")]
    [InlineData("""await db.ExecuteAsync("HGETEX", key, "EX", 60);""", "HGETEX (Redis 8.0)")]
    [InlineData("await db.StreamAcknowledgeAndDeleteAsync(stream, group, StreamTrimMode.Acknowledged, id);", "StreamAcknowledgeAndDeleteAsync")]
    [InlineData("await db.HashFieldExpireAsync(key, fields, TimeSpan.FromDays(7));", "HashFieldExpireAsync")]
    public void The_redis_check_finds_commands_options_and_client_calls_newer_than_7_0(string source, string expected)
    {
        Assert.Contains(NewerRedisUses(source), use => use.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("INSERT INTO orders (id) VALUES (uuidv7())")]
    [InlineData("UPDATE orders SET status = 'x' RETURNING old.status")]
    [InlineData("SELECT uuid_extract_timestamp(id) FROM orders")]
    public void The_postgresql_check_finds_sql_newer_than_15(string sql)
    {
        Assert.Matches(NewerPostgresSql(), sql);
    }

    private static IEnumerable<string> NewerRedisUses(string source)
    {
        foreach (Match call in RedisCommand().Matches(source))
            if (NewerRedisCommands.TryGetValue(call.Groups[1].Value, out var version)) yield return $"{call.Groups[1].Value} (Redis {version})";
        foreach (Match option in StreamOption().Matches(source))
            yield return $"{option.Groups[1].Value.ToUpperInvariant()} (Redis {NewerRedisCommands[option.Groups[1].Value]})";
        foreach (Match member in NewerClientMember().Matches(source))
            yield return $"{member.Value} (StackExchange.Redis call for Redis 7.4 or later)";
    }

    private static IEnumerable<string> SourceFiles() =>
        ApplicationProjects.SelectMany(p => Directory.EnumerateFiles(Path.Combine(Repository.Root, p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>A command a Lua script calls, or one sent raw with Execute.</summary>
    [GeneratedRegex(@"(?:redis\.p?call\(\s*|\bExecute(?:Async)?\(\s*)['""]([A-Za-z]+)['""]")]
    private static partial Regex RedisCommand();

    [GeneratedRegex(@"['""](ACKED|KEEPREF|DELREF)['""]", RegexOptions.IgnoreCase)]
    private static partial Regex StreamOption();

    /// <summary>StackExchange.Redis members that send commands or options newer than 7.0 (hash field TTLs, 8.2 stream deletion modes, 8.4 digests).</summary>
    [GeneratedRegex(@"\b(?:HashField(?:Expire|Persist|GetTimeToLive|GetExpireDateTime|GetAndDelete|GetLeaseAndDelete|GetAndSetExpiry|GetLeaseAndSetExpiry|SetAndSetExpiry)\w*|StreamAcknowledgeAndDelete\w*|StreamTrimMode|StreamConfigure\w*|StringDigest\w*|VectorSet\w+)\b")]
    private static partial Regex NewerClientMember();

    /// <summary>uuidv7()/uuidv4() and RETURNING old/new (18); uuid_extract_timestamp, JSON_TABLE, MERGE ... RETURNING (17).</summary>
    [GeneratedRegex(@"\buuidv[47]\s*\(|\bRETURNING\s+(?:old|new)\.|\buuid_extract_(?:timestamp|version)\s*\(|\bJSON_TABLE\s*\(|\bMERGE\b[^;]*\bRETURNING\b", RegexOptions.IgnoreCase)]
    private static partial Regex NewerPostgresSql();
}
