namespace Khaacho.Deploy.Base;

public static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string System = "khaacho";
    /// <summary>Which Secret holds the secret parameters (created by deploy/k8s/secrets from its git-ignored secrets.env) and which ConfigMap the plain ones.</summary>
    public const string SecretName = "khaacho-secrets";
    public const string ParametersName = "khaacho-parameters";
    /// <summary>Hash of a workload's ConfigMap, on its pod template, so a configuration change rolls the pods.</summary>
    public const string ConfigHash = "khaacho.io/config-hash";

    public static SortedDictionary<string, string> Of(string name) => new(StringComparer.Ordinal) { [Name] = name, [PartOf] = System };

    public static SortedDictionary<string, string> Selector(string name) => new(StringComparer.Ordinal) { [Name] = name };
}
