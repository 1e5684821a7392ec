namespace Khaacho.Worker.Ai;

/// <summary>Section <c>Parsing</c> of the ai worker.</summary>
public sealed class ParsingOptions
{
    public const string Section = "Parsing";

    /// <summary>Parses at or above this confidence (0–1) become orders; below it the retailer is asked to clarify.</summary>
    public double ConfidenceThreshold { get; set; } = 0.8;
}
