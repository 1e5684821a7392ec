using System.Diagnostics;

namespace Khaacho.AppHost.Infrastructure;

/// <summary>The machine's own PostgreSQL server, run by Aspire as an executable; its connection string names one database.</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, string databaseName)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Endpoint => new(this, "tcp");

    // Trust authentication on loopback only: a developer's throw-away server, never deployed (see docs/decisions.md).
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Database={databaseName}");
}

internal static class LocalPostgres
{
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, string databaseName)
    {
        var binaries = PostgresBinaries.Locate(builder.Configuration["Infrastructure:PostgresBinDirectory"]);
        // PostgreSQL refuses to run as root; as root we hand it to the postgres system user.
        var asRoot = Environment.IsPrivilegedProcess;
        var (command, prefix) = asRoot
            ? ("setpriv", new[] { "--reuid=postgres", "--regid=postgres", "--init-groups", binaries.Postgres })
            : (binaries.Postgres, Array.Empty<string>());

        var resource = new LocalPostgresResource(name, command, dataDirectory, databaseName);
        var postgres = builder.AddResource(resource)
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithArgs([.. prefix,
                "-D", dataDirectory,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=",
                "-c", "max_connections=300",
                // Logs go to stdout: the dashboard shows stderr lines as errors.
                "-c", "logging_collector=off"])
            .WithTcpHealthCheck(resource.Endpoint);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, (_, cancellationToken) =>
            InitializeDataDirectoryAsync(binaries, dataDirectory, asRoot, cancellationToken));
        return postgres;
    }

    /// <summary>Runs initdb once; a data directory that already holds a cluster is kept, so data survives restarts.</summary>
    private static async Task InitializeDataDirectoryAsync(PostgresBinaries binaries, string dataDirectory, bool asRoot, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION"))) return;

        Directory.CreateDirectory(dataDirectory);
        if (asRoot) await RunAsync("chown", ["-R", "postgres:postgres", dataDirectory], cancellationToken);
        string[] initdb = [binaries.Initdb, "-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"];
        if (asRoot) await RunAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", .. initdb], cancellationToken);
        else await RunAsync(initdb[0], initdb[1..], cancellationToken);
    }

    private static async Task RunAsync(string command, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new DistributedApplicationException($"Could not start {command}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new DistributedApplicationException($"{command} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}{await output}");
    }
}

internal sealed record PostgresBinaries(string Postgres, string Initdb)
{
    /// <summary>The configured folder, else the newest Debian/Ubuntu server install, else <c>postgres</c> on PATH.</summary>
    public static PostgresBinaries Locate(string? configuredDirectory)
    {
        var directory = configuredDirectory;
        if (string.IsNullOrEmpty(directory) && Directory.Exists("/usr/lib/postgresql"))
        {
            directory = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
        }
        return string.IsNullOrEmpty(directory)
            ? new PostgresBinaries("postgres", "initdb")
            : new PostgresBinaries(Path.Combine(directory, "postgres"), Path.Combine(directory, "initdb"));
    }
}
