using System.Diagnostics.CodeAnalysis;
using Khaacho.Core.Orders;

namespace Khaacho.Core.WhatsApp;

/// <summary>
/// The ids behind reply buttons and list rows: <c>&lt;verb&gt;:&lt;argument&gt;</c>. What a tap sends back is only this
/// id, so it carries everything the tap means (which order, which read-back); a forged id changes only what that
/// sender could change by typing.
/// </summary>
public static class ChatActions
{
    public const string Confirm = "confirm";
    public const string Cancel = "cancel";
    public const string Pick = "pick";
    public const string Skip = "skip";

    /// <summary>Vendor moves, by the status they move an order to.</summary>
    public static readonly IReadOnlyDictionary<string, OrderStatus> VendorMoves = new Dictionary<string, OrderStatus>
    {
        ["accept"] = OrderStatus.Accepted,
        ["reject"] = OrderStatus.RejectedByVendor,
        ["dispatch"] = OrderStatus.Dispatched,
        ["deliver"] = OrderStatus.Delivered,
    };

    public static string Of(string verb, string argument) => $"{verb}:{argument}";

    /// <summary>
    /// Which read-back a Confirm or Cancel tap answers: derived from the id of the message the order came from, so a
    /// tap on an older read-back (another message) matches nothing. The benchmark finds each message's read-back by it.
    /// </summary>
    public static string ReadBackKey(string messageId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)))[..16];

    public static bool TryParse(string? id, [NotNullWhen(true)] out string? verb, [NotNullWhen(true)] out string? argument)
    {
        verb = argument = null;
        var colon = id?.IndexOf(':') ?? -1;
        if (id is null || colon <= 0 || colon == id.Length - 1 || id.Length > 256) return false;
        (verb, argument) = (id[..colon], id[(colon + 1)..]);
        return true;
    }

    /// <summary>The new-order message a vendor gets: Accept and Reject, as buttons inside the window and as a template's quick replies outside it.</summary>
    public static ChatContent NewOrder(Order order, string retailerName) => new(
        Buttons: [new(Of("accept", order.Id.ToString()), "Accept"), new(Of("reject", order.Id.ToString()), "Reject")],
        Template: new ChatTemplate(TemplateKind.NewOrder,
            [order.OrderNumber, retailerName, $"{order.Items.Count} items", $"{order.Total:N2}"],
            [Of("accept", order.Id.ToString()), Of("reject", order.Id.ToString())]));
}
