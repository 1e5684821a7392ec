using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Khaacho.Deploy.Manifest;

namespace Khaacho.Deploy.Base;

/// <summary>
/// Splits a workload's resolved environment: literals go to its ConfigMap; a value that is exactly one secret or
/// parameter is a <c>secretKeyRef</c>/<c>configMapKeyRef</c>; a value that embeds one (a connection string with a
/// password) is composed by Kubernetes from <c>$(VAR)</c> references to those, so each secret is supplied once.
/// </summary>
public sealed class EnvironmentBuilder
{
    private readonly SortedDictionary<string, string> configMap = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1EnvVar> references = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, V1EnvVar> composed = new(StringComparer.Ordinal);

    public void Add(string name, ResolvedValue value)
    {
        if (value.IsLiteral)
            configMap[name] = value.Literal;
        else if (value.Parts is [SuppliedPart single])
            references[name] = Reference(name, single);
        else
            composed[name] = new V1EnvVar { Name = name, Value = Compose(value) };
    }

    /// <summary>An argument or value with <c>$(VAR)</c> references, declaring the variables it needs.</summary>
    public string Compose(ResolvedValue value)
    {
        var text = new StringBuilder();
        foreach (var part in value.Parts)
        {
            if (part is LiteralPart literal)
            {
                // $(X) would be expanded by Kubernetes: a literal one is escaped as $$(X).
                text.Append(literal.Text.Replace("$(", "$$(", StringComparison.Ordinal));
            }
            else if (part is SuppliedPart supplied)
            {
                var variable = VariableFor(supplied);
                references.TryAdd(variable, Reference(variable, supplied));
                text.Append("$(").Append(variable).Append(')');
            }
        }
        return text.ToString();
    }

    public IReadOnlyDictionary<string, string> ConfigMapData => configMap;

    /// <summary>References first: Kubernetes expands $(VAR) only from variables declared before it.</summary>
    public List<V1EnvVar>? Env => references.Count + composed.Count == 0 ? null : [.. references.Values, .. composed.Values];

    public string ConfigHash() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', configMap.Select(e => $"{e.Key}={e.Value}")))))[..16];

    /// <summary>The variable holding a supplied value: PARAMETER_ plus its key in upper snake case.</summary>
    public static string VariableFor(SuppliedPart part) =>
        "PARAMETER_" + string.Concat(part.Key.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));

    private static V1EnvVar Reference(string name, SuppliedPart part) => new()
    {
        Name = name,
        ValueFrom = part.Secret
            ? new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = Labels.SecretName, Key = part.Key } }
            : new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = Labels.ParametersName, Key = part.Key } },
    };
}
