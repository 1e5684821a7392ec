using Khaacho.Core.Catalog;
using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.Database;

/// <summary>
/// Inserts the demo catalogue rows that are missing, matched by code (and phone for logins). Rows that
/// exist are left as they are, so re-seeding never duplicates anything nor resets stock that orders reserved; only a
/// PAN or address that an existing vendor or retailer lacks (they came with invoices) is filled in.
/// </summary>
internal sealed class CatalogSeeder(KhaachoDbContext db, IPasswordHasher<User> passwordHasher, TimeProvider clock)
{
    public sealed record Result(int Products, int Vendors, int VendorProducts, int Retailers, int Users);

    public async Task<Result> SeedAsync(CatalogSeed seed, bool includeDemoLogins, CancellationToken cancellationToken)
    {
        var products = await db.Products.ToDictionaryAsync(p => p.Code, cancellationToken);
        var newProducts = seed.Products.Where(p => !products.ContainsKey(p.Code))
            .Select(p => new Product
            {
                Code = p.Code, Name = p.Name, Category = p.Category, Unit = p.Unit,
                PackSize = p.PackSize, Mrp = p.Mrp, Aliases = p.Aliases,
            }).ToList();
        db.Products.AddRange(newProducts);
        foreach (var product in newProducts) products[product.Code] = product;

        var vendors = await db.Vendors.Include(v => v.Products).ToDictionaryAsync(v => v.Code, cancellationToken);
        int newVendors = 0, newOffers = 0;
        foreach (var v in seed.Vendors)
        {
            if (!vendors.TryGetValue(v.Code, out var vendor))
            {
                vendor = new Vendor { Code = v.Code, Name = v.Name, Phone = v.Phone, City = v.City, Province = v.Province, Rating = v.Rating };
                db.Vendors.Add(vendor);
                vendors[v.Code] = vendor;
                newVendors++;
            }
            vendor.Pan ??= v.Pan;
            vendor.Address ??= v.Address;
            var offered = vendor.Products.Select(o => o.ProductId).ToHashSet();
            foreach (var o in v.Products.Where(o => !offered.Contains(products[o.ProductCode].Id)))
            {
                vendor.Products.Add(new VendorProduct
                {
                    VendorId = vendor.Id, ProductId = products[o.ProductCode].Id, Price = o.Price, Stock = o.Stock,
                    MinOrderQuantity = o.MinOrderQty, LeadTimeDays = o.LeadTimeDays,
                });
                newOffers++;
            }
        }

        var retailers = await db.Retailers.ToDictionaryAsync(r => r.Code, cancellationToken);
        foreach (var r in seed.Retailers)
        {
            if (!retailers.TryGetValue(r.Code, out var existing)) continue;
            existing.Pan ??= r.Pan;
            existing.Address ??= r.Address;
        }
        var newRetailers = seed.Retailers.Where(r => !retailers.ContainsKey(r.Code))
            .Select(r => new Retailer
            {
                Code = r.Code, ShopName = r.ShopName, Phone = r.Phone, City = r.City, Province = r.Province, Pan = r.Pan, Address = r.Address,
                CreditLimit = r.CreditLimit, Outstanding = r.Outstanding, AvailableCredit = r.CreditLimit - r.Outstanding,
                CreatedAt = clock.GetUtcNow(),
            }).ToList();
        db.Retailers.AddRange(newRetailers);
        // What a retailer already owed when it joined is its ledger's first entry, so the ledger explains every balance.
        db.CreditLedger.AddRange(newRetailers.Where(r => r.Outstanding != 0).Select(r => new CreditLedgerEntry
        {
            RetailerId = r.Id, Kind = CreditEntryKind.Opening, Amount = -r.Outstanding, OutstandingChange = r.Outstanding,
            AvailableAfter = r.AvailableCredit, OutstandingAfter = r.Outstanding, Actor = "seed", Description = "Opening balance", CreatedAt = r.CreatedAt,
        }));

        var newUsers = includeDemoLogins ? await AddDemoLoginsAsync(seed, vendors.Values, newRetailers, cancellationToken) : 0;
        await db.SaveChangesAsync(cancellationToken);
        return new Result(newProducts.Count, newVendors, newOffers, newRetailers.Count, newUsers);
    }

    private async Task<int> AddDemoLoginsAsync(CatalogSeed seed, IEnumerable<Vendor> vendors, List<Retailer> newRetailers, CancellationToken cancellationToken)
    {
        var phones = await db.Users.Select(u => u.Phone).ToHashSetAsync(cancellationToken);
        var retailers = await db.Retailers.ToListAsync(cancellationToken);
        retailers.AddRange(newRetailers);

        var logins = new List<User>();
        void Add(string phone, string name, UserRole role, Guid? retailerId = null, Guid? vendorId = null)
        {
            if (!phones.Add(phone)) return;
            var user = new User { Phone = phone, DisplayName = name, Role = role, RetailerId = retailerId, VendorId = vendorId, PasswordHash = "", CreatedAt = clock.GetUtcNow() };
            user.PasswordHash = passwordHasher.HashPassword(user, seed.DemoLogins.Password);
            logins.Add(user);
        }

        Add(seed.DemoLogins.Admin.Phone, seed.DemoLogins.Admin.Name, UserRole.Admin);
        Add(seed.DemoLogins.Operator.Phone, seed.DemoLogins.Operator.Name, UserRole.Operator);
        foreach (var r in retailers) Add(r.Phone, r.ShopName, UserRole.Retailer, retailerId: r.Id);
        foreach (var v in vendors) Add(v.Phone, v.Name, UserRole.Vendor, vendorId: v.Id);
        db.Users.AddRange(logins);
        return logins.Count;
    }
}
