using System.Reflection;
using Khaacho.Core.Data;
using Khaacho.Deploy.Manifest;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Khaacho.Deploy;

/// <summary>Everything the manifests are generated from.</summary>
/// <param name="LatestMigration">The newest EF Core migration compiled into Khaacho.Core: what the app waits for.</param>
/// <param name="AlertsYaml">deploy/prometheus/alerts.yml, when it exists.</param>
public sealed record DeployInputs(string RepositoryRoot, AspireManifest Manifest, string? LatestMigration, string? AlertsYaml)
{
    public const string AlertsPath = "deploy/prometheus/alerts.yml";

    public static DeployInputs Load(string repositoryRoot)
    {
        var alerts = Path.Combine(repositoryRoot, AlertsPath);
        return new DeployInputs(
            repositoryRoot,
            AspireManifest.Load(Path.Combine(repositoryRoot, "aspire-manifest.json")),
            LatestMigrationOf(typeof(KhaachoDbContext)),
            File.Exists(alerts) ? File.ReadAllText(alerts) : null);
    }

    public static string? LatestMigrationOf(Type context) =>
        context.Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == context)
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .LastOrDefault();

    /// <summary>The folder holding Khaacho.sln, upward from <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Khaacho.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Khaacho.sln not found above " + start);
    }
}
