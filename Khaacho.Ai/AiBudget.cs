using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Khaacho.Ai;

/// <summary>
/// Today's model spend (UTC day), shared by every process through one Redis counter. Once it reaches
/// <see cref="AiOptions.DailyBudgetUsd"/> no model is called until the day ends. Without Redis the budget cannot be
/// checked, so no model is called either: spending blind is the one failure cost control must not have.
/// </summary>
public sealed partial class AiBudget(IConnectionMultiplexer redis, IOptionsMonitor<AiOptions> options, TimeProvider clock, ILogger<AiBudget> logger)
{
    private DateOnly warnedOn;

    /// <summary>The last spend this process saw, for the gauge.</summary>
    public decimal LastSeenSpendUsd { get; private set; }

    public decimal LimitUsd => options.CurrentValue.DailyBudgetUsd;

    public async Task<bool> HasRoomAsync()
    {
        decimal spent;
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Key());
            spent = value.IsNull ? 0 : decimal.Parse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex.Message);
            return false;
        }
        LastSeenSpendUsd = spent;
        if (spent < LimitUsd) return true;
        AiMetrics.BudgetExhausted.Add(1);
        var today = Today();
        if (warnedOn != today)
        {
            warnedOn = today;
            LogExhausted(logger, spent, LimitUsd);
        }
        return false;
    }

    public async Task SpendAsync(decimal costUsd)
    {
        if (costUsd <= 0) return;
        try
        {
            var db = redis.GetDatabase();
            var key = Key();
            var total = await db.StringIncrementAsync(key, (double)costUsd);
            await db.KeyExpireAsync(key, TimeSpan.FromDays(2));
            LastSeenSpendUsd = (decimal)total;
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex.Message);
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private RedisKey Key() => $"khaacho:ai:spend:{Today():yyyy-MM-dd}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "AI daily budget spent ({SpentUsd} of {LimitUsd} USD): only the offline parser answers until midnight UTC")]
    private static partial void LogExhausted(ILogger logger, decimal spentUsd, decimal limitUsd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AI budget unavailable (Redis: {Reason}); no model is called")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
