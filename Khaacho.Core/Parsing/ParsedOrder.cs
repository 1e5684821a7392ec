namespace Khaacho.Core.Parsing;

/// <summary>A product the parser can match: its code, names and aliases, unit and pack size.</summary>
public sealed record ParserProduct(Guid Id, string Code, string Name, string Unit, string PackSize, IReadOnlyList<string> Aliases);

public sealed record ParsedItem(Guid ProductId, string ProductCode, string ProductName, int Quantity, string Unit, double Confidence, string SourceText);

/// <param name="Unmatched">Parts of the text that look like an item but were not understood.</param>
/// <param name="Confidence">0–1: the least confident item, lowered when something was not understood; 0 with no items.</param>
public sealed record ParsedOrder(IReadOnlyList<ParsedItem> Items, IReadOnlyList<string> Unmatched, double Confidence, string Provider);
