using System.Text.Json.Nodes;

namespace Khaacho.Deploy.Manifest;

/// <summary>The resources of <c>aspire-manifest.json</c>, by name, in the manifest's own vocabulary.</summary>
public sealed class AspireManifest
{
    private readonly SortedDictionary<string, ManifestResource> resources = new(StringComparer.Ordinal);

    private AspireManifest(JsonObject root)
    {
        foreach (var (name, node) in root["resources"]?.AsObject() ?? throw new InvalidDataException("aspire-manifest.json has no resources"))
        {
            resources[name] = new ManifestResource(name, node!.AsObject());
        }
    }

    public static AspireManifest Load(string path) => Parse(File.ReadAllText(path));

    public static AspireManifest Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("aspire-manifest.json is not a JSON object"));

    /// <summary>Every resource, sorted by name so everything generated from them is too.</summary>
    public IEnumerable<ManifestResource> Resources => resources.Values;

    public ManifestResource this[string name] =>
        resources.TryGetValue(name, out var resource) ? resource : throw new InvalidDataException($"aspire-manifest.json references an unknown resource '{name}'");
}

public sealed class ManifestResource(string name, JsonObject json)
{
    public string Name { get; } = name;
    public string Type { get; } = (string?)json["type"] ?? throw new InvalidDataException($"resource '{name}' has no type");
    public JsonObject Json { get; } = json;

    public bool IsProject => Type is "project.v0" or "project.v1";
    public bool IsContainer => Type is "container.v0" or "container.v1";
    /// <summary>Runs as a process in the cluster (a Deployment, StatefulSet or Job), as opposed to a value or parameter.</summary>
    public bool IsWorkload => IsProject || IsContainer;

    public string? ConnectionString => (string?)Json["connectionString"];
    public string? Image => (string?)Json["image"];
    public string? Entrypoint => (string?)Json["entrypoint"];
    public string? ProjectPath => (string?)Json["path"];

    public IReadOnlyList<string> Args => Json["args"]?.AsArray().Select(a => (string)a!).ToList() ?? [];

    /// <summary>Environment, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env =>
        Json["env"]?.AsObject().Select(e => KeyValuePair.Create(e.Key, (string?)e.Value ?? "")).OrderBy(e => e.Key, StringComparer.Ordinal).ToList() ?? [];

    public IReadOnlyList<ManifestBinding> Bindings =>
        Json["bindings"]?.AsObject()
            .Select(b => new ManifestBinding(b.Key, (string?)b.Value!["scheme"] ?? "tcp", (string?)b.Value["transport"] ?? "tcp",
                (int?)b.Value["targetPort"], (int?)b.Value["port"], (bool?)b.Value["external"] ?? false))
            .OrderBy(b => b.Name, StringComparer.Ordinal).ToList() ?? [];

    public IReadOnlyList<ManifestVolume> Volumes =>
        Json["volumes"]?.AsArray().Select(v => new ManifestVolume((string)v!["name"]!, (string)v["target"]!, (bool?)v["readOnly"] ?? false)).ToList() ?? [];

    public string? EnvValue(string key) => (string?)Json["env"]?[key];
}

/// <param name="TargetPort">Where the process listens; absent for projects, which Aspire gives a port at deploy time.</param>
public sealed record ManifestBinding(string Name, string Scheme, string Transport, int? TargetPort, int? Port, bool External);

public sealed record ManifestVolume(string Name, string Target, bool ReadOnly);
