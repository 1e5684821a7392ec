namespace Khaacho.AppHost.Infrastructure;

/// <summary>The machine's own redis-server, run by Aspire as an executable.</summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Endpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
}

internal static class LocalRedis
{
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var resource = new LocalRedisResource(name, builder.Configuration["Infrastructure:RedisServerPath"] ?? "redis-server", dataDirectory);
        return builder.AddResource(resource)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                // Append-only file in the data folder, as in production: queued stream messages survive a restart.
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                foreach (var argument in RedisDurability.ServerArguments) context.Args.Add(argument);
            })
            .WithTcpHealthCheck(resource.Endpoint);
    }
}
