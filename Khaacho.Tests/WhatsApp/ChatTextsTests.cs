using System.Text.RegularExpressions;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;
using Khaacho.Worker.WhatsApp;

namespace Khaacho.Tests.WhatsApp;

public sealed class ChatTextsTests
{
    private readonly ChatTexts texts = new();

    [Fact]
    public void Every_language_has_every_text_with_the_same_placeholders()
    {
        var english = texts.Keys(ChatLanguage.English).Order().ToList();
        Assert.Equal(english, texts.Keys(ChatLanguage.Nepali).Order().ToList());
        foreach (var key in english)
        {
            Assert.Equal(Placeholders(Raw(ChatLanguage.English, key)), Placeholders(Raw(ChatLanguage.Nepali, key)));
        }
        foreach (var status in Enum.GetValues<OrderStatus>()) Assert.NotEmpty(texts.Status(ChatLanguage.Nepali, status));
    }

    [Fact]
    public void Button_titles_fit_what_WhatsApp_accepts()
    {
        foreach (var language in ChatLanguage.All)
        foreach (var key in texts.Keys(language).Where(k => k.StartsWith("button_", StringComparison.Ordinal) || k == "question_button"))
            Assert.True(texts.Get(language, key).Length <= ChatContent.MaxButtonTitle, $"{language}/{key}");
    }

    [Theory]
    [InlineData("hi", ChatIntent.Help)]
    [InlineData("  Namaste! ", ChatIntent.Help)]
    [InlineData("mero   order", ChatIntent.Status)]
    [InlineData("ORD-2612-000042", ChatIntent.Status)]
    [InlineData("हो", ChatIntent.Yes)]
    [InlineData("3", ChatIntent.Choice)]
    [InlineData("11", ChatIntent.Order)]
    [InlineData("chini 3 bora", ChatIntent.Order)]
    [InlineData("status please send chini 3 bora", ChatIntent.Order)]
    public void Whole_message_keywords_are_recognised_and_anything_else_is_an_order(string text, ChatIntent intent) =>
        Assert.Equal(intent, ChatIntents.Classify(text).Intent);

    private string Raw(string language, string key) => texts.Get(language, key, "{0}", "{1}", "{2}", "{3}", "{4}");

    private static List<string> Placeholders(string text) => [.. Regex.Matches(text, @"\{[0-9]\}").Select(m => m.Value).Order()];
}
