using Khaacho.AppHost;
using Khaacho.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddKhaachoInfrastructure();
var jwtSigningKey = builder.AddJwtSigningKey();

var migrations = builder.AddProject<Projects.Khaacho_Worker>("migrations", options => options.ExcludeLaunchProfile = true)
    .WithArgs("migrate")
    .WithDatabase(infrastructure)
    .WithDemoSeed();

var api = builder.AddProject<Projects.Khaacho_Api>("api")
    .WithExternalHttpEndpoints()
    .WithManagementEndpoint()
    .WithDatabase(infrastructure)
    .WithRedis(infrastructure)
    .WithEnvironment("Auth__SigningKey", jwtSigningKey)
    .WithConfigurationSection("RateLimits")
    .WithConfigurationSection("Outbox")
    .WithAiProviders()
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health/ready");

foreach (var workerType in WorkerTypes.All)
{
    var worker = builder.AddWorker(workerType)
        .WithDatabase(infrastructure)
        .WithRedis(infrastructure)
        .WithConfigurationSection(WorkerTypes.ConfigurationSection(workerType))
        .WithReplayDeadLettersCommand(workerType, api, jwtSigningKey)
        .WaitForCompletion(migrations);
    if (workerType == WorkerTypes.Ai) worker.WithAiProviders();
}

builder.UseTraceSampling();
builder.ReportWhenReady(api, migrations);
builder.Build().Run();
