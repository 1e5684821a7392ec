namespace Khaacho.Tests.Hosting;

/// <summary>Waits for something the system does in the background, failing the test if it does not happen in time.</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, int seconds = 30, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what ?? "condition"} not met within {seconds} s");
            await Task.Delay(100);
        }
    }

    public static Task UntilAsync(Func<bool> condition, int seconds = 30, string? what = null) =>
        UntilAsync(() => Task.FromResult(condition()), seconds, what);
}
