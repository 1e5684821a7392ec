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
}
