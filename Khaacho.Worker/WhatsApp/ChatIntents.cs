using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Khaacho.Core.WhatsApp;

namespace Khaacho.Worker.WhatsApp;

public enum ChatIntent
{
    Order,
    Help,
    Status,
    English,
    Nepali,
    Yes,
    No,
    /// <summary>A bare number: the option of an open question.</summary>
    Choice,
    /// <summary>A vendor asking for the orders waiting for them.</summary>
    OpenOrders,
}

/// <summary>
/// The few things a message can mean besides an order, by the whole message (after trimming and lower-casing): a
/// greeting or "help", "status" or an order number, a language, yes or no to a read-back, an option's number.
/// Anything else is an order to read.
/// </summary>
public static partial class ChatIntents
{
    private static readonly FrozenDictionary<string, ChatIntent> Words = new Dictionary<string, ChatIntent>
    {
        ["hi"] = ChatIntent.Help, ["hello"] = ChatIntent.Help, ["namaste"] = ChatIntent.Help, ["namaskar"] = ChatIntent.Help,
        ["नमस्ते"] = ChatIntent.Help, ["help"] = ChatIntent.Help, ["madat"] = ChatIntent.Help, ["मद्दत"] = ChatIntent.Help, ["menu"] = ChatIntent.Help,
        ["status"] = ChatIntent.Status, ["mero order"] = ChatIntent.Status, ["order status"] = ChatIntent.Status, ["my orders"] = ChatIntent.Status,
        ["मेरो अर्डर"] = ChatIntent.Status, ["स्थिति"] = ChatIntent.Status,
        ["english"] = ChatIntent.English, ["nepali"] = ChatIntent.Nepali, ["नेपाली"] = ChatIntent.Nepali,
        ["yes"] = ChatIntent.Yes, ["ok"] = ChatIntent.Yes, ["confirm"] = ChatIntent.Yes, ["ho"] = ChatIntent.Yes, ["हो"] = ChatIntent.Yes, ["pakka"] = ChatIntent.Yes,
        ["no"] = ChatIntent.No, ["cancel"] = ChatIntent.No, ["hoina"] = ChatIntent.No, ["होइन"] = ChatIntent.No, ["radda"] = ChatIntent.No,
        ["orders"] = ChatIntent.OpenOrders,
    }.ToFrozenDictionary();

    public static (ChatIntent Intent, int Number) Classify(string text)
    {
        var words = Spaces().Replace(text.Trim().ToLowerInvariant().TrimEnd('.', '!', '?', '।'), " ");
        if (Words.TryGetValue(words, out var intent)) return (intent, 0);
        if (int.TryParse(words, out var number) && number is > 0 and <= ChatContent.MaxOptions) return (ChatIntent.Choice, number);
        if (OrderNumber().IsMatch(words)) return (ChatIntent.Status, 0);
        return (ChatIntent.Order, 0);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(status\s+)?ord-[0-9]{4}-[0-9]{6,}$")]
    private static partial Regex OrderNumber();
}
