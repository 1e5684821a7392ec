using System.Net;
using System.Text.Json;

namespace Khaacho.Worker.Notifications;

/// <summary>What a refused send means, by Meta's error code: try again later, send the template instead, or give up.</summary>
public enum GraphErrorAction
{
    Retry,
    SendTemplate,
    GiveUp,
}

public sealed record GraphError(int Code, string Message, GraphErrorAction Action);

/// <summary>
/// Meta's error answers: <c>{"error":{"message","type","code","error_subcode","fbtrace_id"}}</c>. Rate limits
/// (130429 throughput, 131056 pair rate, 4/80007 app and account limits), server errors and an expired token (190, an
/// operator fixes it) are retried; 131047 (outside the 24-hour window) switches to the template; a number that cannot
/// receive (131026), a bad request (100, 131009, 132xxx template problems) can never succeed.
/// </summary>
public static class GraphErrors
{
    public static GraphError Read(HttpStatusCode status, string body)
    {
        var (code, message) = Parse(body);
        var action = code switch
        {
            130429 or 131056 or 4 or 80007 or 190 or 131000 or 131016 => GraphErrorAction.Retry,
            131047 => GraphErrorAction.SendTemplate,
            131026 or 100 or 131009 or 131051 or 131008 => GraphErrorAction.GiveUp,
            >= 132000 and < 133000 => GraphErrorAction.GiveUp,
            _ when (int)status >= 500 || status == HttpStatusCode.TooManyRequests => GraphErrorAction.Retry,
            _ when (int)status >= 400 => GraphErrorAction.GiveUp,
            _ => GraphErrorAction.Retry,
        };
        return new GraphError(code, message, action);
    }

    private static (int Code, string Message) Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var error = document.RootElement.GetProperty("error");
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var value) ? value : 0;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            return (code, message.Length > 300 ? message[..300] : message);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (0, body.Length > 300 ? body[..300] : body);
        }
    }
}
