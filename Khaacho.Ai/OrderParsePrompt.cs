using System.Text;
using Khaacho.Core.Parsing;
using Microsoft.SemanticKernel;

namespace Khaacho.Ai;

/// <summary>The order-parsing prompt function every provider runs: the catalogue, the rules, the retailer's text.</summary>
public static class OrderParsePrompt
{
    private const string Template = """
        <message role="system">You turn a Nepali kirana retailer's chat order into catalogue items.
        The text may mix English, romanized Nepali and Devanagari (with Devanagari digits), use number words
        (ek, dui, teen, char, paanch, das), dozens, and units such as bora (sack), carton, packet, kg or litre.
        Rules:
        - Use only product codes from the catalogue below. Never invent a product.
        - quantity is a whole count of the product's own unit and pack size: "15 kg" of a 1 kg packet is 15,
          "2 dozen" is 24.
        - sourceText is the part of the text the item came from.
        - Anything that looks like an item but matches no product, or whose quantity is unclear, goes into unmatched
          as the original text. Greetings and other chat are ignored. If the text orders nothing, answer no items.
        Answer with JSON only, exactly: {"items":[{"productCode":"...","quantity":1,"sourceText":"..."}],"unmatched":["..."]}
        Catalogue (code | name | unit, pack size | aliases):
        {{$catalogue}}</message>
        <message role="user">{{$text}}</message>
        """;

    public static KernelFunction Create() =>
        KernelFunctionFactory.CreateFromPrompt(new PromptTemplateConfig(Template)
        {
            Name = "parse_order",
            Description = "Turns a chat order into catalogue items",
            InputVariables = [new() { Name = "catalogue" }, new() { Name = "text" }],
        });

    public static string Catalogue(IReadOnlyList<ParserProduct> products)
    {
        var lines = new StringBuilder();
        foreach (var p in products.OrderBy(p => p.Code, StringComparer.Ordinal))
        {
            lines.Append(p.Code).Append(" | ").Append(p.Name).Append(" | ").Append(p.Unit).Append(", ").Append(p.PackSize)
                .Append(" | ").AppendJoin(", ", p.Aliases).Append('\n');
        }
        return lines.ToString();
    }
}
