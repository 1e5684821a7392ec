using System.Diagnostics;
using Khaacho.Deploy;

// Generates deploy/k8s/base, deploy/k8s/secrets and deploy/k8s/overlays/production/generated from aspire-manifest.json
// (run by ./khaacho manifest). Usage: Khaacho.Deploy [--root <repository>]
var root = args is ["--root", var given] ? Path.GetFullPath(given) : DeployInputs.FindRepositoryRoot(Directory.GetCurrentDirectory());
var watch = Stopwatch.StartNew();
var generated = DeploymentGenerator.Generate(DeployInputs.Load(root));
var changed = generated.WriteTo(root);
Console.WriteLine($"generated {generated.Files.Count} files under {string.Join(", ", generated.Roots)} in {watch.ElapsedMilliseconds} ms; {changed} changed");
return 0;
