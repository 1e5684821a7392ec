namespace Khaacho.Deploy.Output;

/// <summary>A kustomization.yaml (or a Component), with only the fields the generator uses.</summary>
public sealed class Kustomization
{
    public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1beta1";
    public string Kind { get; init; } = "Kustomization";
    public string? Namespace { get; init; }
    public List<string>? Resources { get; init; }
    public List<KustomizePatch>? Patches { get; init; }
    public GeneratorOptions? GeneratorOptions { get; init; }
    public List<KustomizeGenerator>? ConfigMapGenerator { get; init; }
    public List<KustomizeGenerator>? SecretGenerator { get; init; }

    public static Kustomization Component(List<string> resources, List<KustomizePatch> patches) =>
        new() { ApiVersion = "kustomize.config.k8s.io/v1alpha1", Kind = "Component", Resources = resources, Patches = patches };
}

public sealed record KustomizePatch(string Path);

public sealed record KustomizeGenerator(string Name, List<string> Envs);

public sealed record GeneratorOptions(bool DisableNameSuffixHash, SortedDictionary<string, string>? Labels);
