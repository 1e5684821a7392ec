using Khaacho.Core.Orders;
using Khaacho.Core.Orders.Quoting;

namespace Khaacho.Tests.Orders;

/// <summary>Which vendor a quote names when no single vendor supplies every line.</summary>
public sealed class QuoteChoiceTests
{
    private static readonly Guid Rice = Guid.CreateVersion7(), Dal = Guid.CreateVersion7(), Oil = Guid.CreateVersion7();

    private static VendorCandidate Vendor(string city, params (Guid Product, decimal Price, int Available)[] offers) => new(
        Guid.CreateVersion7(), city, "Bagmati", 4m, 0, offers.ToDictionary(o => o.Product, o => new VendorOffer(o.Price, o.Available, 1, LeadTimeDays: 1)));

    private static RouteRequest Request(Guid? preferred, params (Guid, int)[] lines) => new(lines, "Kathmandu", "Bagmati", preferred, new HashSet<Guid>());

    [Fact]
    public void A_vendor_supplying_every_line_is_the_one_routing_ranks_first()
    {
        var cheap = Vendor("Kathmandu", (Rice, 100m, 50), (Dal, 90m, 50));
        var dear = Vendor("Kathmandu", (Rice, 150m, 50), (Dal, 130m, 50));
        var request = Request(null, (Rice, 2), (Dal, 1));

        var chosen = Quotes.Choose(request, [dear, cheap], new RoutingWeights());

        Assert.Equal(VendorRouter.Rank(request, [dear, cheap], new RoutingWeights())[0].Vendor.VendorId, chosen!.Value.Vendor.VendorId);
        Assert.Equal(request.Lines, chosen.Value.Lines);
    }

    [Fact]
    public void Without_one_vendor_for_everything_the_vendor_with_the_most_lines_is_quoted_and_the_rest_left_out()
    {
        var riceAndDal = Vendor("Pokhara", (Rice, 100m, 50), (Dal, 90m, 50));
        var oilOnly = Vendor("Kathmandu", (Oil, 300m, 50));
        var shortOnDal = Vendor("Kathmandu", (Rice, 80m, 50), (Dal, 70m, 1));

        var chosen = Quotes.Choose(Request(null, (Rice, 2), (Dal, 3), (Oil, 1)), [oilOnly, shortOnDal, riceAndDal], new RoutingWeights());

        Assert.Equal(riceAndDal.VendorId, chosen!.Value.Vendor.VendorId);
        Assert.Equal([(Rice, 2), (Dal, 3)], chosen.Value.Lines);
    }

    [Fact]
    public void The_retailers_vendor_is_honoured_among_those_supplying_the_most_lines_and_no_supplier_at_all_is_null()
    {
        var rice = Vendor("Kathmandu", (Rice, 100m, 50));
        var dal = Vendor("Pokhara", (Dal, 200m, 50));

        var chosen = Quotes.Choose(Request(dal.VendorId, (Rice, 2), (Dal, 3)), [rice, dal], new RoutingWeights());
        var none = Quotes.Choose(Request(null, (Oil, 1)), [rice, dal], new RoutingWeights());

        Assert.Equal(dal.VendorId, chosen!.Value.Vendor.VendorId);
        Assert.Equal([(Dal, 3)], chosen.Value.Lines);
        Assert.Null(none);
    }
}
