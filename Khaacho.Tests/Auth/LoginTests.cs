using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Khaacho.Api.Auth;
using Khaacho.Core.Identity;
using Khaacho.Tests.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Khaacho.Tests.Auth;

/// <summary>Login defences on the running api, with accounts of the test's own so no demo login is ever locked.</summary>
[Collection(AppCollection.Name)]
public sealed partial class LoginTests(KhaachoAppFixture fixture) : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private readonly List<string> created = [];

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Removes this test's accounts, so the seeded row counts other tests check stay exact.</summary>
    public async Task DisposeAsync()
    {
        if (created.Count == 0) return;
        await fixture.ExecuteAsync("DELETE FROM users WHERE phone = ANY(@phones)", ("phones", created.ToArray()));
        await fixture.ExecuteAsync("DELETE FROM retailers WHERE phone = ANY(@phones)", ("phones", created.ToArray()));
    }

    [Fact]
    public async Task After_five_failed_logins_an_account_is_locked_even_for_the_right_password()
    {
        var phone = await NewAccountAsync(retailerActive: true);
        using var client = fixture.CreateHttpClient("api");

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, phone, "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, phone, "wrong")).StatusCode);
        using var locked = await LoginAsync(client, phone, Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
        Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_phone_with_no_account_is_locked_like_one_with_an_account()
    {
        var phone = NewPhone();
        using var client = fixture.CreateHttpClient("api");

        for (var i = 0; i < 6; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, phone, "guess")).StatusCode);
        using var locked = await LoginAsync(client, phone, "guess");

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
    }

    [Fact]
    public async Task The_lock_is_kept_in_redis_so_every_api_replica_sees_it_and_each_further_failure_doubles_it()
    {
        var phone = NewPhone();
        using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var options = new AuthOptions();
        // A second "replica": this process, sharing only Redis with the api.
        var replica = new LoginThrottle(redis, options, NullLogger<LoginThrottle>.Instance);
        using var client = fixture.CreateHttpClient("api");

        for (var i = 0; i < 6; i++) await LoginAsync(client, phone, "guess");
        var first = await replica.LockedForAsync(phone);
        await redis.GetDatabase().KeyDeleteAsync(LoginThrottle.AccountKey(phone) + ":lock"); // as if the first lock ran out
        var second = await replica.RecordFailureAsync(phone);
        await redis.GetDatabase().KeyDeleteAsync(LoginThrottle.AccountKey(phone) + ":lock");
        var third = await replica.RecordFailureAsync(phone);

        Assert.InRange(first!.Value, TimeSpan.FromSeconds(1), options.Login.LockoutBase);
        Assert.Equal(options.Login.LockoutBase * 2, second);
        Assert.Equal(options.Login.LockoutBase * 4, third);
        using var refused = await LoginAsync(client, phone, "guess");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task The_lockout_backoff_stops_at_its_maximum()
    {
        var phone = NewPhone();
        using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var options = new AuthOptions();
        var throttle = new LoginThrottle(redis, options, NullLogger<LoginThrottle>.Instance);

        TimeSpan? last = null;
        for (var i = 0; i < 20; i++) last = await throttle.RecordFailureAsync(phone);

        Assert.Equal(options.Login.LockoutMax, last);
    }

    [Fact]
    public async Task A_successful_login_clears_the_failures_counted_so_far()
    {
        var phone = await NewAccountAsync(retailerActive: true);
        using var client = fixture.CreateHttpClient("api");

        for (var i = 0; i < 4; i++) await LoginAsync(client, phone, "wrong");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(client, phone, Password)).StatusCode);
        for (var i = 0; i < 4; i++) await LoginAsync(client, phone, "wrong");

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(client, phone, Password)).StatusCode);
    }

    [Fact]
    public async Task A_login_with_an_unknown_phone_runs_a_password_verification()
    {
        using var client = fixture.CreateHttpClient("api");
        var before = await PasswordChecksAsync(client);

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, NewPhone(), "guess")).StatusCode);

        // The exporter caches a scrape for a moment: read until the count moves (or give up and let the assert say so).
        var after = before;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (after == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            after = await PasswordChecksAsync(client);
        }
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task The_user_of_a_deactivated_shop_gets_no_token_even_with_the_right_password()
    {
        var phone = await NewAccountAsync(retailerActive: false);
        using var client = fixture.CreateHttpClient("api");

        using var response = await LoginAsync(client, phone, Password);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("98000 00000")]
    [InlineData("+९८०००००००००")]
    public async Task A_phone_that_is_not_a_phone_number_is_a_field_error(string phone)
    {
        using var client = fixture.CreateHttpClient("api");

        using var response = await LoginAsync(client, phone, "x");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// A login attempt. The token endpoint is also limited per client address (30 per 10 s), and every request here
    /// comes from one address: an answer from that limiter is waited out, so only the per-account answers are asserted.
    /// </summary>
    private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string phone, string password)
    {
        while (true)
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { phone, password });
            if (response.StatusCode != HttpStatusCode.TooManyRequests || (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString() != "Too many requests")
                return response;
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            response.Dispose();
        }
    }

    private static string NewPhone() => "+977" + Random.Shared.NextInt64(9_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>A retailer and its login, both new, so locking it touches nothing another test uses.</summary>
    private async Task<string> NewAccountAsync(bool retailerActive)
    {
        var phone = NewPhone();
        created.Add(phone);
        var retailerId = Guid.CreateVersion7();
        await fixture.ExecuteAsync("""
            INSERT INTO retailers (id, code, shop_name, phone, city, province, credit_limit, available_credit, outstanding, is_active, created_at)
            VALUES (@id, @code, 'Login test shop', @phone, 'Kathmandu', 'Bagmati', 0, 0, 0, @active, now())
            """, ("id", retailerId), ("code", "T" + phone[^9..]), ("phone", phone), ("active", retailerActive));
        var user = new User { Phone = phone, DisplayName = "Login test", PasswordHash = "", Role = UserRole.Retailer, RetailerId = retailerId };
        await fixture.ExecuteAsync("""
            INSERT INTO users (id, phone, display_name, password_hash, role, retailer_id, created_at)
            VALUES (@id, @phone, 'Login test', @hash, 'retailer', @retailer, now())
            """, ("id", user.Id), ("phone", phone), ("hash", new PasswordHasher<User>().HashPassword(user, Password)), ("retailer", retailerId));
        return phone;
    }

    private static async Task<double> PasswordChecksAsync(HttpClient client) =>
        PasswordChecksSample().Matches(await client.GetStringAsync("/metrics"))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^khaacho_auth_password_checks_total(\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex PasswordChecksSample();
}
