using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Tests.Hosting;

/// <summary>
/// With <c>KHAACHO_TEST_LOGS=&lt;dir&gt;</c>, every resource's console output goes to <c>&lt;dir&gt;/&lt;resource&gt;.log</c>:
/// what a worker said before it died, which the testing builder otherwise keeps to itself.
/// </summary>
public static class ResourceLogFiles
{
    public static void Start(DistributedApplication app)
    {
        if (Environment.GetEnvironmentVariable("KHAACHO_TEST_LOGS") is not { Length: > 0 } directory) return;
        Directory.CreateDirectory(directory);
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            _ = Task.Run(async () =>
            {
                await using var file = new StreamWriter(Path.Combine(directory, $"{resource.Name}.log"), append: true) { AutoFlush = true };
                await foreach (var batch in logs.WatchAsync(resource))
                    foreach (var line in batch) await file.WriteLineAsync(line.Content);
            });
        }
    }
}
