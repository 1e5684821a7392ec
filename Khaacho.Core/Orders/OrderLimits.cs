namespace Khaacho.Core.Orders;

/// <summary>The bounds every order obeys, however it arrived: JSON lines, the offline parser or a model's answer.</summary>
public static class OrderLimits
{
    /// <summary>Most units of one product in one order.</summary>
    public const int MaxQuantity = 10_000;
}
