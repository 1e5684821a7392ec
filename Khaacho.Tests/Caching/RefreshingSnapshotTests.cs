using Khaacho.Core.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Khaacho.Tests.Caching;

public sealed class RefreshingSnapshotTests
{
    [Fact]
    public async Task Loads_once_per_max_age_and_concurrent_callers_share_the_load()
    {
        var clock = new FakeTimeProvider();
        var loads = 0;
        var gate = new TaskCompletionSource();
        var snapshot = new RefreshingSnapshot<string>(async _ => { Interlocked.Increment(ref loads); await gate.Task; return $"v{loads}"; }, TimeSpan.FromSeconds(30), clock);

        var concurrent = Enumerable.Range(0, 10).Select(_ => snapshot.GetAsync(CancellationToken.None).AsTask()).ToList();
        gate.SetResult();
        var first = await Task.WhenAll(concurrent);
        clock.Advance(TimeSpan.FromSeconds(29));
        var stillFresh = await snapshot.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        var reloaded = await snapshot.GetAsync(CancellationToken.None);

        Assert.All(first, v => Assert.Equal("v1", v));
        Assert.Equal("v1", stillFresh);
        Assert.Equal("v2", reloaded);
        Assert.Equal(2, loads);
    }
}
