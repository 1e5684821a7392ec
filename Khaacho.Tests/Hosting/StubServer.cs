using System.Net;
using System.Net.Sockets;

namespace Khaacho.Tests.Hosting;

/// <summary>
/// A third-party HTTP service stand-in on a free loopback port, answering each request concurrently, as the real
/// service would: a burst must not queue behind one slow answer.
/// </summary>
public abstract class StubServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;

    protected StubServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    protected int Port { get; }

    protected abstract Task AnswerAsync(HttpListenerContext context);

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
        GC.SuppressFinalize(this);
    }
}
