using System.Text.RegularExpressions;
using Khaacho.WhatsAppSandbox.Hosting;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Chat;

/// <summary>The approved templates the sandbox knows (<c>Sandbox:Templates</c>), to show a template as the phone would.</summary>
public sealed partial class TemplateCatalogue(IOptions<SandboxOptions> options)
{
    /// <summary>The template in <paramref name="language"/>, else in any language it has; null for a template the sandbox does not know.</summary>
    public TemplateText? Find(string name, string language)
    {
        if (!options.Value.Templates.TryGetValue(name, out var languages) || languages.Count == 0) return null;
        return languages.GetValueOrDefault(language) ?? languages.Values.First();
    }

    /// <summary>How many {{n}} placeholders the body has (the highest n).</summary>
    public static int PlaceholderCount(string body) =>
        Placeholder().Matches(body).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    public static string Fill(string body, IReadOnlyList<string> parameters) =>
        Placeholder().Replace(body, m =>
        {
            var index = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1;
            return index < parameters.Count ? parameters[index] : m.Value;
        });

    [GeneratedRegex(@"\{\{([0-9]+)\}\}")]
    private static partial Regex Placeholder();
}
