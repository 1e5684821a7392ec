using Khaacho.Core.Orders;

namespace Khaacho.Tests.Orders;

public sealed class WireNamesTests
{
    [Theory]
    [InlineData(OrderStatus.NeedsClarification, "needs_clarification")]
    [InlineData(OrderStatus.RejectedByVendor, "rejected_by_vendor")]
    [InlineData(OrderStatus.Received, "received")]
    public void Enums_travel_as_snake_case(OrderStatus status, string wire)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.Equal(status, WireNames.Parse<OrderStatus>(wire));
    }

    [Theory]
    [InlineData("NeedsClarification")]
    [InlineData("RECEIVED")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_are_not_parsed(string? wire) =>
        Assert.False(WireNames.TryParse<OrderStatus>(wire, out _));
}
