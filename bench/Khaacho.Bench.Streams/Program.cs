// Stream infrastructure throughput: messages per second through consume + ack with a no-op handler, against a
// baseline measured in the same run on the same Redis: a bare XREADGROUP/XACK loop with no retries, metrics or tracing.
// usage: dotnet run -c Release --project bench/Khaacho.Bench.Streams [messages]   -> one JSON line on stdout
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Khaacho.Core.Messaging;
using Khaacho.Worker.Streaming;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StreamConsumer = Khaacho.Worker.Streaming.StreamConsumer;

var messages = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
using var server = LocalRedis.Start();
await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port}");
var db = redis.GetDatabase();

await PreloadAsync(db, "baseline", messages);
var baseline = await MeasureAsync(() => BareLoopAsync(db, "baseline", messages));

await PreloadAsync(db, "khaacho", messages);
var options = new StreamOptions();
var consumer = new StreamConsumer(new NoOpHandler("khaacho"), redis, Options.Create(options), Options.Create(new StreamLimits()), TimeProvider.System, NullLogger<StreamConsumer>.Instance);
var khaacho = await MeasureAsync(async () =>
{
    await consumer.StartAsync(CancellationToken.None);
    while (true)
    {
        var group = (await db.StreamGroupInfoAsync("khaacho")).Single();
        if (group.EntriesRead >= messages && group.PendingMessageCount == 0) break;
        await Task.Delay(20);
    }
});
await consumer.StopAsync(CancellationToken.None);

Console.WriteLine(JsonSerializer.Serialize(new
{
    messages,
    baseline_per_second = Math.Round(messages / baseline.TotalSeconds),
    khaacho_per_second = Math.Round(messages / khaacho.TotalSeconds),
    ratio_to_baseline = Math.Round(baseline.TotalSeconds / khaacho.TotalSeconds, 2),
    khaacho_concurrency = options.Concurrency,
    khaacho_batch = options.BatchSize,
}));

static async Task PreloadAsync(IDatabase db, string stream, int count)
{
    await db.StreamCreateConsumerGroupAsync(stream, stream, StreamPosition.Beginning, createStream: true);
    for (var offset = 0; offset < count; offset += 1000)
    {
        await Task.WhenAll(Enumerable.Range(offset, Math.Min(1000, count - offset))
            .Select(i => db.StreamAddAsync(stream, [new("payload", $"{{\"n\":{i}}}"), new("traceparent", ""), new("attempt", 1)])));
    }
}

static async Task<TimeSpan> MeasureAsync(Func<Task> run)
{
    var watch = Stopwatch.StartNew();
    await run();
    return watch.Elapsed;
}

// The simplest correct consumer: read a batch, ack it, repeat.
static async Task BareLoopAsync(IDatabase db, string stream, int count)
{
    var done = 0;
    while (done < count)
    {
        var entries = await db.StreamReadGroupAsync(stream, stream, "bare", StreamPosition.NewMessages, 500);
        if (entries.Length == 0) continue;
        await db.StreamAcknowledgeAsync(stream, stream, entries.Select(e => e.Id).ToArray());
        done += entries.Length;
    }
}

sealed class NoOpHandler(string stream) : IStreamHandler
{
    public string Stream => stream;
    public Task HandleAsync(StreamMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    public Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A throw-away redis-server on a free loopback port, without persistence.</summary>
sealed class LocalRedis : IDisposable
{
    private readonly Process process;
    public int Port { get; }

    private LocalRedis(Process process, int port) => (this.process, Port) = (process, port);

    public static LocalRedis Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var process = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
        })!;
        for (var i = 0; i < 100; i++)
        {
            try { using var probe = new TcpClient("127.0.0.1", port); return new LocalRedis(process, port); }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public void Dispose()
    {
        process.Kill();
        process.Dispose();
    }
}
