using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Tests.Fuzzing;

/// <summary>The exceptions the api logged while it was fuzzed: what a 500 was, for the report (distinct messages only).</summary>
public sealed partial class ServerErrors : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> seen = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task watching;

    public ServerErrors(Aspire.Hosting.DistributedApplication app) => watching = WatchAsync(app.Services.GetRequiredService<ResourceLoggerService>());

    public IEnumerable<string> Distinct => seen.OrderByDescending(e => e.Value).Select(e => $"{e.Value}× {e.Key}");

    private async Task WatchAsync(ResourceLoggerService logs)
    {
        try
        {
            await foreach (var batch in logs.WatchAsync("api").WithCancellation(stop.Token))
            {
                foreach (var line in batch)
                {
                    if (ExceptionLine().Match(line.Content) is { Success: true } m && seen.Count < 100) seen.AddOrUpdate(m.Groups[1].Value.Trim(), 1, (_, n) => n + 1);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped at the end of the run.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await watching;
        stop.Dispose();
    }

    [GeneratedRegex(@"^(?:\s*\d+: \S+)?\s+(?:--->\s+)?((?:[A-Z]\w+\.)+\w*Exception(?: \(\d+\))?: .{0,200})")]
    private static partial Regex ExceptionLine();
}
