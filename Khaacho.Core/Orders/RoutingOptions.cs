namespace Khaacho.Core.Orders;

/// <summary>
/// Section <c>Orders</c>, the part every process that ranks vendors reads (the orders worker's confirmation, quotes in
/// the api and the whatsapp worker): one set of weights, or a quote would name a vendor confirmation does not choose.
/// </summary>
public sealed class RoutingOptions
{
    public const string Section = "Orders";

    public RoutingWeights RoutingWeights { get; set; } = new();
}
