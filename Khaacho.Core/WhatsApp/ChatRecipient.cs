using Khaacho.Core.Notifications;

namespace Khaacho.Core.WhatsApp;

/// <summary>Who a chat reply goes to: the phone, and the retailer or vendor it belongs to (an empty id for an unknown phone).</summary>
public sealed record ChatRecipient(string Phone, RecipientKind Kind, Guid Id);
