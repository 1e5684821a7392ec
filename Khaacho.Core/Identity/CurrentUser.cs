using Khaacho.Core.Orders;

namespace Khaacho.Core.Identity;

/// <summary>Who is acting: a caller of the api (from its token) or a retailer or vendor writing in WhatsApp (from their phone).</summary>
public sealed record CurrentUser(Guid UserId, UserRole Role, Guid? RetailerId, Guid? VendorId)
{
    /// <summary>How history rows name the actor: <c>vendor:&lt;user id&gt;</c>.</summary>
    public string Actor => $"{Role.ToWire()}:{UserId}";

    public static CurrentUser Of(User user) => new(user.Id, user.Role, user.RetailerId, user.VendorId);
}
