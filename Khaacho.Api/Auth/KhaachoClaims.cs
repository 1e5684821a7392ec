using Khaacho.Core.Identity;

namespace Khaacho.Api.Auth;

public static class KhaachoClaims
{
    public const string Role = "role";
    public const string RetailerId = "retailer_id";
    public const string VendorId = "vendor_id";
    public const string Subject = "sub";
}

public static class Policies
{
    public const string Retailer = "retailer";
    public const string Vendor = "vendor";
    public const string Admin = "admin";
    public const string RetailerOrAdmin = "retailer-or-admin";
    /// <summary>Admins and operators (support staff).</summary>
    public const string Staff = "staff";
    /// <summary>A retailer (its own records; the handler checks which) or staff.</summary>
    public const string RetailerOrStaff = "retailer-or-staff";

    /// <summary>The roles each policy admits, for the OpenAPI document; <see cref="Extensions"/> builds the policies from it.</summary>
    public static readonly IReadOnlyDictionary<string, UserRole[]> Roles = new Dictionary<string, UserRole[]>
    {
        [Retailer] = [UserRole.Retailer],
        [Vendor] = [UserRole.Vendor],
        [Admin] = [UserRole.Admin],
        [RetailerOrAdmin] = [UserRole.Retailer, UserRole.Admin],
        [Staff] = [UserRole.Admin, UserRole.Operator],
        [RetailerOrStaff] = [UserRole.Retailer, UserRole.Admin, UserRole.Operator],
    };
}
