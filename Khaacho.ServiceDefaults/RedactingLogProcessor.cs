using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Microsoft.Extensions.Hosting;

/// <summary>Applies <see cref="LogRedaction"/> to log records before they are exported over OTLP.</summary>
public sealed class RedactingLogProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        if (data.FormattedMessage is { } message) data.FormattedMessage = LogRedaction.RedactMessage(message, data.Attributes ?? []);
        if (data.Attributes is { Count: > 0 } attributes)
            data.Attributes = [.. attributes.Select(a => new KeyValuePair<string, object?>(a.Key, a.Key == "{OriginalFormat}" ? a.Value : LogRedaction.Redact(a.Key, a.Value)))];
    }
}
