using Khaacho.Deploy.Base;
using Khaacho.Deploy.Manifest;
using Khaacho.Deploy.Output;
using Khaacho.Deploy.Production;

namespace Khaacho.Deploy.Secrets;

/// <summary>
/// deploy/k8s/secrets: a kustomization of its own, applied as its own step (<c>kubectl apply -k deploy/k8s/secrets</c>),
/// whose secretGenerator turns the git-ignored secrets.env into the Secret <see cref="Labels.SecretName"/> in the
/// production namespace. The name has no hash suffix, so the base and the overlay (which hold no Secret and never read
/// secrets.env) reference it by name and render on a clean checkout; a changed value therefore needs a
/// <c>kubectl rollout restart</c> of the workloads (docs/DEPLOYMENT.md).
/// </summary>
public sealed class SecretsGenerator(IReadOnlyCollection<SuppliedValue> supplied, GeneratedFiles files)
{
    public const string Folder = "deploy/k8s/secrets";
    public const string ExampleFile = "secrets.env.example";
    public const string SecretsFile = "secrets.env";

    public void Generate()
    {
        if (!supplied.Any(v => v.Secret)) return;
        files.AddYaml($"{Folder}/kustomization.yaml", new Kustomization
        {
            Namespace = ProductionPolicy.Namespace,
            GeneratorOptions = new GeneratorOptions(DisableNameSuffixHash: true, new SortedDictionary<string, string>(StringComparer.Ordinal) { [Labels.PartOf] = Labels.System }),
            SecretGenerator = [new KustomizeGenerator(Labels.SecretName, [SecretsFile])],
        });
        files.Add($"{Folder}/{ExampleFile}", BaseGenerator.EnvFile(supplied, secret: true,
            "Secret parameters of aspire-manifest.json. Copy to secrets.env (git-ignored), replace every <placeholder>, never commit it."));
    }
}
