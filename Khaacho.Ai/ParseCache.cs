using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Khaacho.Core.Parsing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Khaacho.Ai;

public sealed record CachedParse(string Provider, ModelOrder Order);

/// <summary>Model answers by text (normalized), so the same order text costs one model call per <see cref="AiOptions.CacheDuration"/>.</summary>
public sealed class ParseCache(IConnectionMultiplexer redis, IOptionsMonitor<AiOptions> options)
{
    public static RedisKey Key(string text) =>
        "khaacho:ai:parse:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TextNormalizer.Normalize(text))));

    public async Task<CachedParse?> GetAsync(string text)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Key(text));
            return value.IsNull ? null : JsonSerializer.Deserialize<CachedParse>(value.ToString());
        }
        catch (Exception ex) when (ex is RedisException or JsonException)
        {
            return null;
        }
    }

    public async Task SetAsync(string text, CachedParse parse)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Key(text), JsonSerializer.Serialize(parse), options.CurrentValue.CacheDuration);
        }
        catch (RedisException)
        {
            // A cache that cannot be written costs a later model call, nothing else.
        }
    }
}
