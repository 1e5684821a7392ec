using System.Globalization;
using System.Security;
using System.Text;
using HdrHistogram;

namespace Khaacho.Bench;

/// <summary>
/// A latency-by-percentile chart as SVG, one line per series: the x axis is spread by "nines" (50%, 90%, 99%, 99.9%,
/// 99.99% equally apart), so the tail that matters is as wide as the median; the y axis is logarithmic, so a rate
/// that collapsed (seconds) does not flatten the ones that did not (milliseconds).
/// </summary>
internal static class LatencyPlot
{
    private static readonly double[] Percentiles = [0, 25, 50, 75, 90, 95, 97, 99, 99.5, 99.7, 99.9, 99.95, 99.97, 99.99, 100];
    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    private const double Width = 900, Height = 420, Left = 70, Right = 160, Top = 40, Bottom = 50;

    public static string Svg(string title, IReadOnlyList<(string Label, HistogramBase Histogram)> series)
    {
        var points = series.Where(s => s.Histogram.TotalCount > 0)
            .Select(s => (s.Label, Points: Percentiles.Select(p => (X: Nines(p), Ms: s.Histogram.GetValueAtPercentile(p) / 1000.0)).ToList()))
            .ToList();
        var maxMs = Math.Max(10, points.SelectMany(s => s.Points).Select(p => p.Ms).DefaultIfEmpty(10).Max());
        var decades = (int)Math.Ceiling(Math.Log10(maxMs)); // from 1 ms to 10^decades ms
        var xMax = Nines(100);
        double X(double nines) => Left + nines / xMax * (Width - Left - Right);
        double Y(double ms) => Height - Bottom - Math.Log10(Math.Max(1, ms)) / decades * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" font-family="sans-serif" font-size="12">""").AppendLine();
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{Height}" fill="white"/><text x="{Width / 2}" y="22" text-anchor="middle" font-size="15">{SecurityElement.Escape(title)}</text>""").AppendLine();
        foreach (var p in new[] { 0, 50, 90, 99, 99.9, 99.99, 100 })
        {
            var label = p == 100 ? "max" : $"{p}%";
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{X(Nines(p)):F1}" y1="{Top}" x2="{X(Nines(p)):F1}" y2="{Height - Bottom}" stroke="#ddd"/><text x="{X(Nines(p)):F1}" y="{Height - Bottom + 16}" text-anchor="middle">{label}</text>""").AppendLine();
        }
        for (var i = 0; i <= decades; i++)
        {
            var ms = Math.Pow(10, i);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{Y(ms):F1}" x2="{Width - Right}" y2="{Y(ms):F1}" stroke="#eee"/><text x="{Left - 6}" y="{Y(ms) + 4:F1}" text-anchor="end">{ms:0.##}</text>""").AppendLine();
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="{Height - 12}" text-anchor="middle">percentile</text><text x="16" y="{Height / 2}" transform="rotate(-90 16 {Height / 2})" text-anchor="middle">latency (ms, log scale)</text>""").AppendLine();
        for (var i = 0; i < points.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var line = string.Join(' ', points[i].Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):F1},{Y(p.Ms):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>""").AppendLine();
            // Legend to the right of the plot, clear of the curves.
            var legendY = Top + 8 + i * 18;
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Width - Right + 16}" y="{legendY}" width="12" height="12" fill="{colour}"/><text x="{Width - Right + 34}" y="{legendY + 10}">{SecurityElement.Escape(points[i].Label)}</text>""").AppendLine();
        }
        return svg.Append("</svg>").AppendLine().ToString();
    }

    /// <summary>0% → 0, 90% → 1, 99% → 2, ...; 100% is drawn one step past 99.99%.</summary>
    private static double Nines(double percentile) => percentile >= 100 ? 5 : Math.Log10(100 / (100 - percentile));
}
