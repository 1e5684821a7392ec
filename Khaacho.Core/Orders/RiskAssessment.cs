namespace Khaacho.Core.Orders;

public sealed record RiskInput(TimeSpan RetailerAge, decimal EstimatedValue, IReadOnlyList<decimal> RecentOrderTotals, decimal CreditLimit, IReadOnlyList<int> Quantities);

public sealed record RiskResult(int Score, IReadOnlyList<string> Reasons);

/// <summary>Rule-based risk score, 0–100; orders at or above the threshold (default 70) are rejected with the reasons.</summary>
public static class RiskAssessment
{
    public static RiskResult Score(RiskInput input)
    {
        var score = 0;
        var reasons = new List<string>();
        void Add(int points, string reason) { score += points; reasons.Add(reason); }

        if (input.RetailerAge < TimeSpan.FromDays(30)) Add(10, "new retailer");
        if (input.RecentOrderTotals.Count >= 3)
        {
            var average = input.RecentOrderTotals.Average();
            if (average > 0 && input.EstimatedValue > 5 * average) Add(40, "order value over 5x the retailer's average");
        }
        else if (input.EstimatedValue > input.CreditLimit / 2)
        {
            Add(30, "large first orders");
        }
        if (input.Quantities.Count > 50) Add(20, "more than 50 lines");
        if (input.Quantities.Any(q => q > 1000)) Add(40, "a quantity over 1,000");
        else if (input.Quantities.Any(q => q > 200)) Add(10, "a quantity over 200");
        return new RiskResult(Math.Min(score, 100), reasons);
    }
}
