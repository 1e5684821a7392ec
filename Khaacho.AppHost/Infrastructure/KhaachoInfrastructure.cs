namespace Khaacho.AppHost.Infrastructure;

/// <param name="Database">The <c>khaacho</c> database's connection string as its owner: what migrations use.</param>
/// <param name="DatabaseServer">The PostgreSQL server resource to wait for.</param>
/// <param name="Redis">Redis: both its connection string and the resource to wait for.</param>
/// <param name="AppDatabase">As <c>khaacho_app</c> (rows only, no DDL): api, worker-ai, worker-notifications.</param>
/// <param name="MaintenanceDatabase">As <c>khaacho_maintenance</c> (rows, plus the order partitions it creates and archives): worker-orders.</param>
public sealed record KhaachoInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResource> DatabaseServer,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> AppDatabase,
    IResourceBuilder<IResourceWithConnectionString> MaintenanceDatabase);
