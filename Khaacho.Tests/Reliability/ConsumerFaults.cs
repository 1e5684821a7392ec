using System.Collections.Concurrent;
using Khaacho.Core.Messaging;
using Khaacho.Worker.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StreamConsumer = Khaacho.Worker.Streaming.StreamConsumer;

namespace Khaacho.Tests.Reliability;

/// <summary>Starting real consumers on a test's own stream, and handlers that behave badly on purpose.</summary>
internal static class ConsumerFaults
{
    public static async Task<StreamConsumer> StartAsync(IServiceProvider services, IStreamHandler handler, StreamOptions options)
    {
        var consumer = new StreamConsumer(handler, services.GetRequiredService<IConnectionMultiplexer>(), Options.Create(options),
            Options.Create(new StreamLimits()), TimeProvider.System, NullLogger<StreamConsumer>.Instance);
        await consumer.StartAsync(CancellationToken.None);
        return consumer;
    }

    public static async Task StopAsync(this StreamConsumer consumer)
    {
        await consumer.StopAsync(CancellationToken.None);
        consumer.Dispose();
    }

    public static string NewStream() => $"faults-{Guid.NewGuid():N}";
}

/// <summary>Takes <paramref name="duration"/> per message (or until cancelled), counting every run of every message.</summary>
internal sealed class SlowHandler(string stream, TimeSpan duration) : IStreamHandler
{
    public string Stream => stream;
    public ConcurrentDictionary<string, int> Runs { get; } = new();
    public ConcurrentDictionary<string, int> Completed { get; } = new();
    public int Cancelled;

    public async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        Runs.AddOrUpdate(message.Payload, 1, (_, n) => n + 1);
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref Cancelled);
            throw;
        }
        Completed.AddOrUpdate(message.Payload, 1, (_, n) => n + 1);
    }

    public Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken) => Task.CompletedTask;
}
