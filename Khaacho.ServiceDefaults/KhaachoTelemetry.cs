using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>The one activity source and meter name the application's own spans and metrics use.</summary>
public static class KhaachoTelemetry
{
    public const string ActivitySourceName = "Khaacho";
    public const string MeterName = "Khaacho";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
    public static readonly Meter Meter = new(MeterName);
}
