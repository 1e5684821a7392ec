using Khaacho.AppHost;
using Khaacho.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddKhaachoInfrastructure();
var jwtSigningKey = builder.AddJwtSigningKey();
var whatsApp = builder.AddWhatsAppChannel();

var migrations = builder.AddProject<Projects.Khaacho_Worker>("migrations", options => options.ExcludeLaunchProfile = true)
    .WithArgs("migrate")
    .WithDatabase(infrastructure, i => i.Database)
    .WithDatabaseRoles()
    .WithDemoSeed();

var api = builder.AddProject<Projects.Khaacho_Api>("api")
    .WithExternalHttpEndpoints()
    .WithManagementEndpoint()
    .WithDatabase(infrastructure, i => i.AppDatabase)
    .WithRedis(infrastructure)
    .WithEnvironment("Auth__SigningKey", jwtSigningKey)
    .WithConfigurationSection("RateLimits")
    .WithConfigurationSection("Outbox")
    .WithConfigurationSection("Streams")
    .WithAiProviders()
    .WithWhatsApp(whatsApp)
    .WithWhatsAppWebhook(whatsApp)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health/ready");

foreach (var workerType in WorkerTypes.All)
{
    var worker = builder.AddWorker(workerType)
        // worker-orders runs partition maintenance, which creates and archives partitions: the one DDL a workload does.
        .WithDatabase(infrastructure, i => workerType == WorkerTypes.Orders ? i.MaintenanceDatabase : i.AppDatabase)
        .WithRedis(infrastructure)
        .WithConfigurationSection("Streams")
        .WithConfigurationSection(WorkerTypes.ConfigurationSection(workerType))
        .WithReplayDeadLettersCommand(workerType, api, jwtSigningKey)
        .WithWhatsApp(whatsApp)
        .WaitForCompletion(migrations);
    if (WorkerTypes.CallsModels(workerType)) worker.WithAiProviders();
}

builder.UseTraceSampling();
builder.ReportWhenReady(api, whatsApp.Sandbox, migrations);
builder.Build().Run();
