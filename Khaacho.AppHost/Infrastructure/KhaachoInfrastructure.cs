namespace Khaacho.AppHost.Infrastructure;

/// <param name="Database">The <c>khaacho</c> database's connection string.</param>
/// <param name="DatabaseServer">The PostgreSQL server resource to wait for.</param>
/// <param name="Redis">Redis: both its connection string and the resource to wait for.</param>
public sealed record KhaachoInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResource> DatabaseServer,
    IResourceBuilder<IResourceWithConnectionString> Redis);
