using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Khaacho.Tests.Hosting;
using StackExchange.Redis;

namespace Khaacho.Tests.Foundation;

/// <summary>The Redis the AppHost runs locally is as durable and as bounded as the one the manifest deploys.</summary>
[Collection(AppCollection.Name)]
public sealed class LocalRedisTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task Redis_runs_with_the_append_only_file_no_snapshots_and_a_memory_ceiling_that_never_evicts()
    {
        await using var redis = await ConnectAsync();
        var config = (await redis.GetServers().Single().ConfigGetAsync()).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("yes", config["appendonly"]);
        Assert.Equal("everysec", config["appendfsync"]);
        Assert.Equal("", config["save"]);
        Assert.Equal("noeviction", config["maxmemory-policy"]);
        Assert.Equal((512L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), config["maxmemory"]);
    }

    [Fact]
    public async Task A_stream_entry_survives_a_redis_restart()
    {
        var stream = (RedisKey)$"test:durability:{Guid.NewGuid():N}";
        RedisValue id;
        await using (var redis = await ConnectAsync())
        {
            id = await redis.GetDatabase().StreamAddAsync(stream, "payload", "kept");
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past one appendfsync everysec, should the stop be a kill

        await fixture.StopRedisAsync();
        await fixture.StartRedisAsync();

        await using var restarted = await ConnectAsync();
        var entries = await restarted.GetDatabase().StreamRangeAsync(stream);
        await restarted.GetDatabase().KeyDeleteAsync(stream);
        Assert.Equal([id], entries.Select(e => e.Id));
    }

    private async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))! + ",allowAdmin=true");
}
