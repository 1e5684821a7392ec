namespace Khaacho.AppHost.Infrastructure;

/// <summary>How PostgreSQL and Redis run: <c>Infrastructure:Mode</c> (env <c>Infrastructure__Mode</c>), default <c>auto</c>.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers, local executables otherwise.</summary>
    Auto,
    Containers,
    /// <summary>The machine's own <c>postgres</c> and <c>redis-server</c> as Aspire executable resources.</summary>
    Local,
}
