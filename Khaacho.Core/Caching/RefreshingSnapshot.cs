namespace Khaacho.Core.Caching;

/// <summary>
/// A value loaded on first use and again once older than its maximum age; concurrent callers share one load, and a
/// reader always sees a value together with the time it was taken.
/// </summary>
public sealed class RefreshingSnapshot<T>(Func<CancellationToken, Task<T>> load, TimeSpan maxAge, TimeProvider clock) where T : class
{
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Taken? current;

    private sealed record Taken(T Value, DateTimeOffset At);

    public async ValueTask<T> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } value) return value;
        await loading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } loaded) return loaded;
            var taken = new Taken(await load(cancellationToken), clock.GetUtcNow());
            current = taken;
            return taken.Value;
        }
        finally
        {
            loading.Release();
        }
    }

    private T? Fresh() => current is { } taken && clock.GetUtcNow() - taken.At < maxAge ? taken.Value : null;
}
