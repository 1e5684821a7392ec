namespace Khaacho.AppHost.Infrastructure;

/// <summary>
/// How Redis keeps what Khaacho queues in it (stream entries, retry sets, claim keys), the same locally and in the
/// manifest: every write in an append-only file synced each second (a crash or restart loses at most about a second),
/// no RDB snapshots (with the AOF on Redis never loads them, and each one forks), and a memory ceiling past which
/// writes fail with an OOM error instead of evicting a key. docs/DEPLOYMENT.md ("Redis") explains the numbers.
/// </summary>
internal static class RedisDurability
{
    /// <summary>
    /// Half the production container's 1 GiB limit (Khaacho.Deploy ProductionPolicy): an AOF rewrite forks, and under
    /// write load copy-on-write can double Redis' memory until the child exits. A Khaacho.Deploy test keeps the two in step.
    /// </summary>
    public const string MaxMemory = "512mb";

    public static IReadOnlyList<string> ServerArguments { get; } =
    [
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--save", "",
        "--maxmemory", MaxMemory,
        "--maxmemory-policy", "noeviction",
    ];

    /// <summary>
    /// The container's command, replacing Aspire's (which adds RDB snapshots for a data volume). The password stays in
    /// the environment, as Aspire passes it (dotnet/aspire#3838).
    /// </summary>
    public static IResourceBuilder<RedisResource> WithDurability(this IResourceBuilder<RedisResource> redis) =>
        redis.WithAnnotation(new CommandLineArgsCallbackAnnotation(args =>
        {
            args.Add("-c");
            args.Add(string.Join(' ', ["redis-server", "--requirepass", "$REDIS_PASSWORD", .. ServerArguments.Select(ForShell)]));
        }), ResourceAnnotationMutationBehavior.Replace);

    private static string ForShell(string argument) => argument.Length == 0 ? "\"\"" : argument;
}
