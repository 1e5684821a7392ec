using System.Collections;
using System.Diagnostics;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Khaacho.Deploy.Tests;

/// <summary>
/// deploy/k8s rendered by <c>kubectl kustomize</c> from a copy that holds no secrets.env (as on a clean clone; an
/// operator's real file is never read). Only the secrets kustomization gets one, copied from the committed example.
/// </summary>
internal static class RenderedOverlay
{
    public static Lazy<IReadOnlyList<JsonObject>> Production { get; } = new(() => Render("overlays/production"));
    public static Lazy<IReadOnlyList<JsonObject>> Base { get; } = new(() => Render("base"));
    public static Lazy<IReadOnlyList<JsonObject>> Secrets { get; } = new(() => Render("secrets", secretsFromExample: true));

    /// <summary>The placeholders of deploy/k8s/secrets/secrets.env.example, the only secret values the repository holds.</summary>
    public static IReadOnlyDictionary<string, string> ExampleSecrets { get; } =
        Repository.Read("deploy/k8s/secrets/secrets.env.example").Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

    private static List<JsonObject> Render(string dir, bool secretsFromExample = false)
    {
        var work = Directory.CreateTempSubdirectory("khaacho-k8s-test-");
        try
        {
            Copy(Path.Combine(Repository.Root, "deploy/k8s"), Path.Combine(work.FullName, "k8s"));
            Assert.DoesNotContain(Directory.EnumerateFiles(work.FullName, "*.env", SearchOption.AllDirectories), IsSecretsEnv);
            if (secretsFromExample)
            {
                var secrets = Path.Combine(work.FullName, "k8s", dir, "secrets.env");
                File.Copy(secrets + ".example", secrets);
            }
            var start = new ProcessStartInfo("kubectl") { ArgumentList = { "kustomize", Path.Combine(work.FullName, "k8s", dir) }, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = StartKubectl(start);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {dir} failed: {stderr}");
            var deserializer = new DeserializerBuilder().Build();
            return stdout.Result.Split("\n---\n").Select(doc => (JsonObject)ToJson(deserializer.Deserialize<object>(doc))!).ToList();
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static Process StartKubectl(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("These tests render deploy/k8s with `kubectl kustomize`: install kubectl 1.27 or later.", ex);
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(f => !f.Contains("node_modules", StringComparison.Ordinal) && !IsSecretsEnv(f)))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>An operator's secrets file (git-ignored): <c>secrets/*.env</c>.</summary>
    private static bool IsSecretsEnv(string file) =>
        Path.GetFileName(Path.GetDirectoryName(file)) == "secrets" && file.EndsWith(".env", StringComparison.Ordinal);

    /// <summary>YamlDotNet's untyped tree as JSON; scalars stay strings, as YAML wrote them.</summary>
    private static JsonNode? ToJson(object? node) => node switch
    {
        null => null,
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, ToJson(map[k])))),
        IList list => new JsonArray([.. list.Cast<object?>().Select(ToJson)]),
        _ => JsonValue.Create(node.ToString()),
    };

    public static IEnumerable<JsonObject> OfKind(this IReadOnlyList<JsonObject> objects, string kind) => objects.Where(o => (string?)o["kind"] == kind);

    public static string Name(this JsonNode node) => (string)node["metadata"]!["name"]!;

    public static IEnumerable<JsonNode> Containers(this JsonObject workload, bool includeInit = true) =>
        (workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
            .Concat(includeInit ? workload["spec"]!["template"]!["spec"]!["initContainers"]?.AsArray() ?? [] : [])!;
}
