using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Khaacho.Tests.Contract;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Khaacho.Tests.Hosting;

/// <summary>
/// The whole system, started once for every test in the <see cref="AppCollection"/>: local PostgreSQL and Redis in a
/// fresh data folder, migrations, api and the three workers, exactly as <c>./khaacho up</c> runs them.
/// </summary>
public class KhaachoAppFixture : IAsyncLifetime
{
    public static readonly string[] WorkerResources = ["worker-orders", "worker-ai", "worker-notifications", "worker-whatsapp"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), $"khaacho-tests-{Guid.NewGuid():N}");

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The api's served OpenAPI document, read once the api is healthy: every api answer is checked against it.</summary>
    public ApiDocument Document { get; private set; } = null!;

    /// <summary>The WhatsApp Cloud API the api and workers send to: every notification of the run is sent here.</summary>
    public WhatsAppStub WhatsApp { get; } = new();

    /// <summary>More AppHost arguments, for a variant of the system.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    /// <summary>The WhatsApp number: the stub as a configured Cloud API (no sandbox), unless a fixture runs the sandbox as <c>./khaacho up</c> does.</summary>
    protected virtual IEnumerable<string> WhatsAppArguments =>
    [
        $"--WhatsApp:GraphApiUrl={WhatsApp.GraphApiUrl}",
        $"--WhatsApp:PhoneNumberId={WhatsAppStub.PhoneNumberId}",
        "--WhatsApp:AccessToken=test-whatsapp-token",
        $"--WhatsApp:AppSecret={WhatsAppStub.AppSecret}",
        "--WhatsApp:VerifyToken=test-verify-token",
    ];

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Khaacho_AppHost>(
        [
            "--Infrastructure:Mode=local",
            $"--Infrastructure:DataDirectory={dataDirectory}",
            // Scheduled work at test speed: deadlines checked every second, abandoned messages claimed after 5 s.
            "--Workers:orders:Orders:DeadlineCheckInterval=00:00:01",
            "--Workers:orders:Streams:ClaimIdleTime=00:00:05",
            "--Workers:orders:Credit:ReconcileInterval=00:00:02",
            .. WhatsAppArguments,
            .. Arguments,
        ]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // The testing builder points OTLP at a port where nothing listens; the app would then spend
            // ~12 s retrying its telemetry flush whenever a test stops it.
            builder.CreateResourceBuilder(project).WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }

        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceAsync("migrations", KnownResourceStates.Finished, timeout.Token);
        foreach (var name in WorkerResources.Prepend("api"))
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }
        using var api = new HttpClient { BaseAddress = App.GetEndpoint("api", "http") };
        Document = await ApiDocument.ReadAsync(api);
    }

    /// <summary>
    /// A plain client: no resilience handler retrying a 503 away, so tests see what a caller sees. For the api, every answer
    /// must be one its document promises (<see cref="DocumentedResponses"/>); the workers serve only health and metrics.
    /// </summary>
    public HttpClient CreateHttpClient(string resource) => resource == "api"
        ? new HttpClient(new DocumentedResponses(Document, new HttpClientHandler())) { BaseAddress = App.GetEndpoint(resource, "http") }
        : new HttpClient { BaseAddress = App.GetEndpoint(resource, "http") };

    /// <summary>Stops Redis and waits until its process has exited, so a later start can bind the port again.</summary>
    public async Task StopRedisAsync()
    {
        await App.ResourceCommands.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.ResourceNotifications.WaitForResourceAsync("redis", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
    }

    public async Task StartRedisAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await App.ResourceCommands.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand, timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("redis", timeout.Token);
    }

    public ValueTask<string?> DatabaseConnectionStringAsync() => App.GetConnectionStringAsync("postgres");

    public virtual async Task DisposeAsync()
    {
        await WhatsApp.DisposeAsync();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server that is still exiting may hold a file; the folder is in /tmp and harmless.
        }
    }
}

/// <summary>
/// The system with an AI provider configured: a local OpenAI-compatible model (<see cref="Model"/>) for the api and
/// worker-ai. The plain <see cref="KhaachoAppFixture"/> has no AI configuration at all, as a new user's system.
/// </summary>
public class AiAppFixture : KhaachoAppFixture
{
    public const string LocalModelKey = "local-model-secret-key";

    public ModelStub Model { get; } = new(anthropic: false);

    protected override IEnumerable<string> Arguments =>
    [
        "--Ai:ProviderOrder=local",
        $"--Ai:Providers:local:Endpoint={Model.BaseUrl}",
        "--Ai:Providers:local:Model=stub-local",
        $"--Ai:Providers:local:ApiKey={LocalModelKey}",
        "--Ai:Providers:local:InputUsdPerMillionTokens=1",
        "--Ai:Providers:local:OutputUsdPerMillionTokens=2",
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AiAppCollection : ICollectionFixture<AiAppFixture>
{
    public const string Name = "Whole app with an AI provider";
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<KhaachoAppFixture>
{
    public const string Name = "Whole app";
}
