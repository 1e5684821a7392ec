using System.Xml.Linq;
using k8s.Models;
using Khaacho.Deploy.Manifest;

namespace Khaacho.Deploy.Base;

/// <summary>What a project needs from its build: the image it publishes, and the schema it must wait for.</summary>
public sealed class ProjectBuild(DeployInputs inputs, ValueResolver resolver)
{
    /// <summary>
    /// Waits until the database holds the newest migration this image was built with, by asking PostgreSQL with the
    /// database's own image: no API-server access or RBAC needed, and it holds a new version back until the migrations
    /// Job of that version has run, whichever Job object did it.
    /// </summary>
    public V1Container MigrationWait(ManifestResource migrations)
    {
        var migration = inputs.LatestMigration ?? throw new InvalidDataException("no EF Core migration found to wait for");
        var (uriName, uriValue) = migrations.Env.FirstOrDefault(e => e.Value.StartsWith("postgresql://", StringComparison.Ordinal));
        if (uriName is null) throw new InvalidDataException($"{migrations.Name} has no postgresql:// connection URI to wait on");
        var uri = resolver.Resolve(uriValue, out var database);
        var postgres = inputs.Manifest[database.Single()];
        var env = new EnvironmentBuilder();
        env.Add("DATABASE_URL", uri);
        // The history table's columns follow the snake_case naming convention; matching any column keeps this independent of it.
        var query = $"SELECT 1 FROM \"__EFMigrationsHistory\" h WHERE '{migration}' IN (SELECT value FROM jsonb_each_text(to_jsonb(h)))";
        return new V1Container
        {
            Name = BaseGenerator.MigrationWaitContainer,
            Image = postgres.Image,
            Command = ["/bin/sh", "-c"],
            Args = [$"until psql \"$DATABASE_URL\" -qtAc '{query.Replace("'", "'\\''", StringComparison.Ordinal)}' 2>/dev/null | grep -q 1; do echo 'waiting for migration {migration}'; sleep 3; done"],
            Env = env.Env ?? [new V1EnvVar { Name = "DATABASE_URL", Value = uri.Literal }],
        };
    }

    /// <summary>The image the .NET SDK publishes for a project: its ContainerRepository and ContainerImageTag properties.</summary>
    public static string Image(string repositoryRoot, ManifestResource resource)
    {
        var path = Path.Combine(repositoryRoot, resource.ProjectPath ?? throw new InvalidDataException($"{resource.Name} has no project path"));
        var project = XDocument.Load(path);
        string? Property(string name) => project.Descendants(name).Select(e => e.Value.Trim()).LastOrDefault(v => v.Length > 0);
        var repository = Property("ContainerRepository") ?? Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        var tag = Property("ContainerImageTag") ?? throw new InvalidDataException($"{path} sets no ContainerImageTag: every deployed image needs an explicit tag");
        return $"{repository}:{tag}";
    }
}
