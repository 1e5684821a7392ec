using System.Text.RegularExpressions;

namespace Khaacho.Deploy.Manifest;

/// <summary>
/// Resolves the manifest's <c>{resource.property}</c> references the way aspirate does: a binding's host is the
/// resource's Service name, its port the Service port; connection strings and values expand recursively; a secret
/// parameter (or a value derived from one) becomes a key of the generated Secret, never a literal.
/// </summary>
public sealed partial class ValueResolver(AspireManifest manifest)
{
    /// <summary>Port a project listens on in the cluster (HTTP_PORTS), as aspirate assigns it.</summary>
    public const int ProjectHttpPort = 8080;

    private readonly SortedDictionary<string, SuppliedValue> supplied = new(StringComparer.Ordinal);
    private readonly SortedSet<string> referencedWorkloads = new(StringComparer.Ordinal);

    /// <summary>Every secret and parameter the resolved values need, with a hint for the operator.</summary>
    public IReadOnlyCollection<SuppliedValue> SuppliedValues => supplied.Values;

    public ResolvedValue Resolve(string text) => Resolve(text, out _);

    /// <param name="workloads">The workloads (Services) the value points at: who talks to whom.</param>
    public ResolvedValue Resolve(string text, out IReadOnlySet<string> workloads)
    {
        referencedWorkloads.Clear();
        var value = Expand(text, depth: 0);
        workloads = new SortedSet<string>(referencedWorkloads, StringComparer.Ordinal);
        return value;
    }

    private ResolvedValue Expand(string text, int depth)
    {
        if (depth > 20) throw new InvalidDataException($"reference cycle while resolving '{text}'");
        var result = new ResolvedValue([]);
        var at = 0;
        foreach (Match match in Reference().Matches(text))
        {
            result = result.Concat(ResolvedValue.Of(text[at..match.Index])).Concat(ExpandReference(match.Groups[1].Value, depth));
            at = match.Index + match.Length;
        }
        return result.Concat(ResolvedValue.Of(text[at..]));
    }

    private ResolvedValue ExpandReference(string reference, int depth)
    {
        var path = reference.Split('.');
        var resource = manifest[path[0]];
        return path[1..] switch
        {
            ["connectionString"] => Expand(resource.ConnectionString ?? throw Unresolvable(reference, "the resource has no connection string"), depth + 1),
            ["value"] => ValueOf(resource, depth),
            ["bindings", var binding, var property] => BindingProperty(resource, binding, property, reference),
            _ => throw Unresolvable(reference, "unsupported reference"),
        };
    }

    private ResolvedValue ValueOf(ManifestResource resource, int depth)
    {
        switch (resource.Type)
        {
            case "parameter.v0":
                var value = (string?)resource.Json["value"] ?? "";
                if (value != $"{{{resource.Name}.inputs.value}}") return Expand(value, depth + 1);
                var input = resource.Json["inputs"]?["value"];
                var secret = (bool?)input?["secret"] ?? false;
                var defaultValue = (string?)input?["default"]?["value"];
                if (!secret && defaultValue is not null) return ResolvedValue.Of(defaultValue);
                var generate = input?["default"]?["generate"];
                var hint = generate is null ? "" : $"at least {(int?)generate["minLength"] ?? 22} random characters"
                    + ((bool?)generate["special"] == false ? ", letters and digits only" : "");
                return Supply(resource.Name, secret, hint);
            case "annotated.string":
                var inner = Expand((string?)resource.Json["value"] ?? "", depth + 1);
                var filter = (string?)resource.Json["filter"];
                if (inner.IsLiteral) return ResolvedValue.Of(filter == "uri" ? Uri.EscapeDataString(inner.Literal) : inner.Literal);
                // A filtered secret cannot be computed here: the operator supplies the filtered form beside the original.
                var from = string.Join(", ", inner.Supplied.Select(p => p.Key));
                return Supply(resource.Name, inner.Supplied.Any(p => p.Secret), $"{from}, {filter}-encoded");
            case "value.v0":
                return Expand((string?)resource.Json["value"] ?? resource.ConnectionString ?? "", depth + 1);
            default:
                throw Unresolvable($"{resource.Name}.value", $"a {resource.Type} has no value");
        }
    }

    private ResolvedValue Supply(string key, bool secret, string hint)
    {
        supplied.TryAdd(key, new SuppliedValue(key, secret, hint));
        return new ResolvedValue([new SuppliedPart(key, secret)]);
    }

    private ResolvedValue BindingProperty(ManifestResource resource, string name, string property, string reference)
    {
        var binding = resource.Bindings.FirstOrDefault(b => b.Name == name) ?? throw Unresolvable(reference, "no such binding");
        if (!resource.IsWorkload) throw Unresolvable(reference, "bindings belong to containers and projects");
        referencedWorkloads.Add(resource.Name);
        var port = ServicePort(resource, binding) ?? throw Unresolvable(reference, "the binding is not served in the cluster");
        return ResolvedValue.Of(property switch
        {
            "host" => resource.Name,
            "port" => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "targetPort" => ContainerPort(resource, binding)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "scheme" => binding.Scheme,
            "url" => $"{binding.Scheme}://{resource.Name}:{port}",
            _ => throw Unresolvable(reference, "unsupported binding property"),
        });
    }

    /// <summary>The port a process listens on; a project serves plain HTTP on one port (TLS ends at the mesh or ingress), so its https binding is not served.</summary>
    public static int? ContainerPort(ManifestResource resource, ManifestBinding binding) =>
        binding.TargetPort ?? (resource.IsProject && binding.Scheme == "http" ? ProjectHttpPort : null);

    public static int? ServicePort(ManifestResource resource, ManifestBinding binding) =>
        ContainerPort(resource, binding) is { } target ? binding.Port ?? target : null;

    private static InvalidDataException Unresolvable(string reference, string why) => new($"cannot resolve {{{reference}}}: {why}");

    [GeneratedRegex(@"\{([A-Za-z0-9_.-]+)\}")]
    private static partial Regex Reference();
}

/// <param name="Hint">What the operator should put there, for the example file.</param>
public sealed record SuppliedValue(string Key, bool Secret, string Hint);
