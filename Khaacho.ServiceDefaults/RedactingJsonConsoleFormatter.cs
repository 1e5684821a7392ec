using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One JSON object per log event, for log shippers outside Development: timestamp, level, category, message, every
/// structured property (order id, job id...), trace and span ids, and the exception, all through <see cref="LogRedaction"/>.
/// </summary>
public sealed class RedactingJsonConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "khaacho-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;
        using var buffer = new MemoryStream();
        // Relaxed escaping: log readers want "+05:45" and Devanagari as they are, not \u002B.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O"));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("eventId", logEntry.EventId.Id);
            var properties = logEntry.State as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            json.WriteString("message", LogRedaction.RedactMessage(message ?? "", properties));
            if (System.Diagnostics.Activity.Current is { } activity)
            {
                json.WriteString("traceId", activity.TraceId.ToHexString());
                json.WriteString("spanId", activity.SpanId.ToHexString());
            }
            WriteProperties(json, properties);
            scopeProvider?.ForEachScope((scope, writer) =>
            {
                if (scope is IReadOnlyList<KeyValuePair<string, object?>> scoped) WriteProperties(writer, scoped);
                else if (scope is IEnumerable<KeyValuePair<string, object>> pairs) WriteProperties(writer, [.. pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))]);
            }, json);
            if (logEntry.Exception is { } exception) json.WriteString("exception", LogRedaction.Redact(exception.ToString()));
            json.WriteEndObject();
        }
        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteProperties(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        foreach (var (key, value) in properties)
        {
            if (key == "{OriginalFormat}" || key is "timestamp" or "level" or "category" or "message") continue;
            var name = char.ToLowerInvariant(key[0]) + key[1..];
            switch (LogRedaction.Redact(key, value))
            {
                case null: json.WriteNull(name); break;
                case int or long or double or decimal or float or short: json.WriteNumber(name, Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case bool b: json.WriteBoolean(name, b); break;
                case var other: json.WriteString(name, LogRedaction.Redact(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? "")); break;
            }
        }
    }
}
