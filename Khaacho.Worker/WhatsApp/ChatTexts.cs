using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;

namespace Khaacho.Worker.WhatsApp;

/// <summary>
/// Every text the chat sends, one resource per language (<c>WhatsApp/Texts/&lt;language&gt;.json</c>, embedded); both
/// have the same keys (a test checks). Amounts are written the same way in every language: 1,234.50.
/// </summary>
public sealed class ChatTexts
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> byLanguage =
        ChatLanguage.All.ToFrozenDictionary(language => language, Load);

    public IReadOnlyCollection<string> Keys(string language) => byLanguage[language].Keys;

    public string Get(string language, string key, params object[] arguments) =>
        string.Format(CultureInfo.InvariantCulture, byLanguage[byLanguage.ContainsKey(language) ? language : ChatLanguage.English][key], arguments);

    public string Status(string language, OrderStatus status) => Get(language, $"status.{status.ToWire()}");

    public static string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);

    private static FrozenDictionary<string, string> Load(string language)
    {
        using var stream = typeof(ChatTexts).Assembly.GetManifestResourceStream($"Khaacho.Worker.WhatsApp.Texts.{language}.json")
            ?? throw new InvalidOperationException($"The chat texts for '{language}' are not embedded.");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary();
    }
}
