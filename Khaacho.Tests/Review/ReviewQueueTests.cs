using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Core.Review;
using Khaacho.Tests.Hosting;
using Khaacho.Worker.Sweeping;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Khaacho.Tests.Review;

/// <summary>Issue 15, the review queue: a risk-flagged order waits for staff instead of failing; approval, rejection or its deadline ends the wait.</summary>
[Collection(AppCollection.Name)]
public sealed class ReviewQueueTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_risk_flagged_order_waits_in_review_with_its_score_reasons_and_deadline_and_the_retailer_is_told()
    {
        var (phone, _) = await ReviewOrders.NewRetailerAsync(fixture);
        using var retailer = await fixture.LoginAsync(phone);

        var orderId = await retailer.SubmitAsync(ReviewOrders.FlaggedOrderBody);
        var status = await retailer.WaitForStatusAsync(orderId, "awaiting_review", "confirmed", "failed");

        Assert.Equal("awaiting_review", status.GetProperty("orderStatus").GetString());
        Assert.Equal("processing", status.GetProperty("status").GetString());
        Assert.Equal("awaiting_review", status.GetProperty("step").GetString());
        Assert.Equal(80, await fixture.ScalarAsync<int>("SELECT risk_score FROM orders WHERE id = @o", ("o", orderId)));
        var waited = await fixture.ScalarAsync<TimeSpan>("SELECT review_deadline - awaiting_review_at FROM orders WHERE id = @o", ("o", orderId));
        Assert.Equal(TimeSpan.FromHours(24), waited);
        await Eventually.UntilAsync(async () => (await NotificationKindsAsync(orderId)).Contains("order_awaiting_review"), 30, "the retailer was told");

        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);
        var queued = await FindInQueueAsync(staff, orderId);
        Assert.Equal("Review test pasal", queued.GetProperty("retailerName").GetString());
        Assert.Equal(ReviewOrders.Estimate, queued.GetProperty("estimatedTotal").GetDecimal());
        Assert.Equal(80, queued.GetProperty("riskScore").GetInt32());
        Assert.Equal(["new retailer", "large first orders", "a quantity over 1,000"],
            queued.GetProperty("riskReasons").EnumerateArray().Select(r => r.GetString()));
        Assert.True(queued.GetProperty("reviewDeadline").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
    }

    [Fact]
    public async Task Approval_confirms_the_order_with_reserved_stock_and_credit_and_records_the_reviewer()
    {
        await ReviewOrders.StockUpAsync(fixture);
        var (phone, retailerId) = await ReviewOrders.NewRetailerAsync(fixture);
        using var retailer = await fixture.LoginAsync(phone);
        var orderId = await retailer.SubmitAsync(ReviewOrders.FlaggedOrderBody);
        await retailer.WaitForStatusAsync(orderId, "awaiting_review", "confirmed", "failed");
        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);

        using var approve = await staff.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "approve", reason = "known shop, festival stock" });

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var status = await retailer.WaitForStatusAsync(orderId, "confirmed", "failed");
        Assert.Equal("confirmed", status.GetProperty("orderStatus").GetString());
        var total = status.GetProperty("result").GetProperty("total").GetDecimal();
        Assert.Equal(ReviewOrders.CreditLimit - total, await fixture.ScalarAsync<decimal>("SELECT available_credit FROM retailers WHERE id = @r", ("r", retailerId)));
        Assert.Equal(-total, await fixture.ScalarAsync<decimal>("SELECT sum(amount) FROM credit_ledger WHERE order_id = @o", ("o", orderId)));
        await fixture.AssertReservationsMatchOpenOrdersAsync();
        await fixture.AssertCreditMatchesLedgerAsync();

        var order = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        var history = order.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["received", "awaiting_review", "validated", "confirmed"], history.Select(h => h.GetProperty("to").GetString()));
        Assert.StartsWith("operator:", history[2].GetProperty("actor").GetString());
        Assert.Contains("festival stock", history[2].GetProperty("reason").GetString());
        Assert.StartsWith("operator:", await fixture.ScalarAsync<string>("SELECT reviewed_by FROM orders WHERE id = @o", ("o", orderId)));
    }

    [Fact]
    public async Task Rejection_fails_the_order_with_the_reviewers_reason_which_the_retailer_reads()
    {
        var (phone, _) = await ReviewOrders.NewRetailerAsync(fixture);
        using var retailer = await fixture.LoginAsync(phone);
        var orderId = await retailer.SubmitAsync(ReviewOrders.FlaggedOrderBody);
        await retailer.WaitForStatusAsync(orderId, "awaiting_review", "confirmed", "failed");
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        const string reason = "1,500 packets is more than a shop this size sells; please order in smaller lots.";

        using var reject = await admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "reject", reason });

        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        var status = await retailer.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/status");
        Assert.Equal("failed", status.GetProperty("orderStatus").GetString());
        Assert.Equal("review_rejected", status.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(reason, status.GetProperty("error").GetProperty("message").GetString());
        await Eventually.UntilAsync(async () => (await fixture.ColumnAsync<string>(
            "SELECT message FROM notifications WHERE order_id = @o AND kind = 'order_failed'", ("o", orderId))).Any(m => m.Contains(reason)), 30, "the retailer was told why");
    }

    [Fact]
    public async Task An_order_nobody_reviews_by_its_deadline_fails_as_expired_and_the_retailer_is_told()
    {
        var (phone, _) = await ReviewOrders.NewRetailerAsync(fixture);
        using var retailer = await fixture.LoginAsync(phone);
        var orderId = await retailer.SubmitAsync(ReviewOrders.FlaggedOrderBody);
        await retailer.WaitForStatusAsync(orderId, "awaiting_review", "confirmed", "failed");

        await fixture.ExecuteAsync("UPDATE orders SET review_deadline = now() - interval '1 minute' WHERE id = @o", ("o", orderId));

        var status = await retailer.WaitForStatusAsync(orderId, "failed", "cancelled");
        Assert.Equal("review_expired", status.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("in time", status.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(["review_deadline"], await fixture.ColumnAsync<string>(
            "SELECT actor FROM order_status_history WHERE order_id = @o AND to_status = 'failed'", ("o", orderId)));
        await Eventually.UntilAsync(async () => (await NotificationKindsAsync(orderId)).Contains("order_failed"), 30, "the retailer was told");
    }

    [Fact]
    public async Task Retailers_and_vendors_may_neither_list_nor_decide_reviews()
    {
        var orderId = await ReviewOrders.InsertWaitingAsync(fixture);
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 7));
        using var vendor = await fixture.LoginAsync(ApiClient.DemoPhone("vendors", 1));

        foreach (var client in new[] { retailer, vendor })
        {
            using var list = await client.GetAsync("/api/v1/review/orders");
            using var decide = await client.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "approve" });
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, decide.StatusCode);
        }
        Assert.Equal("awaiting_review", await ReviewOrders.StatusAsync(fixture, orderId));
    }

    [Fact]
    public async Task A_decision_on_an_order_not_awaiting_review_is_a_conflict_and_on_an_unknown_order_not_found()
    {
        var (accepted, _) = await Reliability.StalledOrder.InsertAsync(fixture, "accepted", redrives: 0, age: TimeSpan.Zero);
        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);

        using var conflict = await staff.PostAsJsonAsync($"/api/v1/orders/{accepted}/review", new { decision = "approve" });
        using var unknown = await staff.PostAsJsonAsync($"/api/v1/orders/{Guid.CreateVersion7()}/review", new { decision = "reject", reason = "no" });
        using var notAnId = await staff.PostAsJsonAsync("/api/v1/orders/not-an-order/review", new { decision = "approve" });

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        Assert.Contains("accepted", (await conflict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
        Assert.Equal("accepted", await ReviewOrders.StatusAsync(fixture, accepted));
    }

    [Theory]
    [InlineData("""{"decision":"reject"}""")]
    [InlineData("""{"decision":"reject","reason":"   "}""")]
    [InlineData("""{"decision":"maybe"}""")]
    [InlineData("""{"decision":"APPROVE"}""")]
    [InlineData("""{"reason":"no decision"}""")]
    [InlineData("""{"decision":"approve","reason":"LONG"}""")]
    [InlineData("""{"decision":"approve","extra":1}""")]
    [InlineData("""{"decision":1}""")]
    [InlineData("""[]""")]
    public async Task A_decision_the_api_cannot_act_on_is_a_400_problem_and_the_order_keeps_waiting(string body)
    {
        var orderId = await ReviewOrders.InsertWaitingAsync(fixture);
        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);

        using var response = await staff.PostAsync($"/api/v1/orders/{orderId}/review",
            ApiClient.Json(body.Replace("LONG", new string('x', OrderReviews.MaxReasonLength + 1), StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("awaiting_review", await ReviewOrders.StatusAsync(fixture, orderId));
    }

    [Fact]
    public async Task Two_concurrent_approvals_move_the_order_once_and_it_confirms()
    {
        var orderId = await ReviewOrders.InsertWaitingAsync(fixture);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);

        var answers = await Task.WhenAll(
            admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "approve" }),
            staff.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "approve" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        foreach (var answer in answers) answer.Dispose();
        await Eventually.UntilAsync(async () => await ReviewOrders.StatusAsync(fixture, orderId) == "confirmed", 30, "the approved order confirmed");
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM order_status_history WHERE order_id = @o AND to_status = 'validated'", ("o", orderId)));
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM credit_ledger WHERE order_id = @o AND kind = 'reserve'", ("o", orderId)));
        await fixture.AssertReservationsMatchOpenOrdersAsync();
    }

    [Fact]
    public async Task Concurrent_approval_and_rejection_let_exactly_one_decide()
    {
        var orderId = await ReviewOrders.InsertWaitingAsync(fixture);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);
        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);

        var answers = await Task.WhenAll(
            admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "approve" }),
            staff.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "reject", reason = "duplicate of yesterday's order" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var approved = answers[0].StatusCode == HttpStatusCode.OK;
        foreach (var answer in answers) answer.Dispose();
        Assert.Equal(1, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM order_status_history WHERE order_id = @o AND from_status = 'awaiting_review'", ("o", orderId)));
        if (approved)
            await Eventually.UntilAsync(async () => await ReviewOrders.StatusAsync(fixture, orderId) == "confirmed", 30, "the approved order confirmed");
        else
            Assert.Equal("review_rejected", await fixture.ScalarAsync<string>("SELECT failure_code FROM orders WHERE id = @o", ("o", orderId)));
    }

    [Fact]
    public async Task An_expiry_racing_a_decision_changes_the_order_once()
    {
        var orderId = await ReviewOrders.InsertWaitingAsync(fixture, deadlineIn: TimeSpan.FromMinutes(-1));
        await using var services = await InProcessServices.CreateAsync(fixture);
        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);
        var createdAt = await fixture.ScalarAsync<DateTime>("SELECT created_at FROM orders WHERE id = @o", ("o", orderId));

        var decision = staff.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "reject", reason = "too late anyway" });
        var expired = services.GetRequiredService<OrderReviews>().ExpireAsync(orderId, new DateTimeOffset(createdAt, TimeSpan.Zero), CancellationToken.None);
        using var answer = await decision;
        await expired;

        Assert.Contains(answer.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
        Assert.Equal("failed", await ReviewOrders.StatusAsync(fixture, orderId));
        Assert.Equal(1, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM order_status_history WHERE order_id = @o AND from_status = 'awaiting_review'", ("o", orderId)));
        var code = await fixture.ScalarAsync<string>("SELECT failure_code FROM orders WHERE id = @o", ("o", orderId));
        Assert.Equal(answer.StatusCode == HttpStatusCode.OK ? "review_rejected" : "review_expired", code);
    }

    [Fact]
    public async Task The_sweeper_leaves_an_order_awaiting_review_alone_however_long_it_waits()
    {
        var orderId = await ReviewOrders.InsertWaitingAsync(fixture, waited: TimeSpan.FromHours(3));
        await using var services = await InProcessServices.CreateAsync(fixture, configure: s =>
        {
            s.AddSingleton(Options.Create(new SweeperOptions { StalledAfter = TimeSpan.FromSeconds(1) }));
            s.AddSingleton<StalledOrders>();
        });

        await services.GetRequiredService<StalledOrders>().SweepAsync(CancellationToken.None);

        Assert.Equal("awaiting_review", await ReviewOrders.StatusAsync(fixture, orderId));
        Assert.Equal(0, await fixture.ScalarAsync<int>("SELECT redrives FROM orders WHERE id = @o", ("o", orderId)));
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE order_id = @o", ("o", orderId)));
    }

    [Fact]
    public async Task A_retailer_may_cancel_an_order_awaiting_review_and_then_there_is_nothing_to_decide()
    {
        var orderId = await ReviewOrders.InsertWaitingAsync(fixture);
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 7));
        using var staff = await fixture.LoginAsync(ApiClient.OperatorPhone);

        using var cancel = await retailer.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "cancelled", reason = "ordered elsewhere" });
        using var approve = await staff.PostAsJsonAsync($"/api/v1/orders/{orderId}/review", new { decision = "approve" });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        Assert.Equal("cancelled", await ReviewOrders.StatusAsync(fixture, orderId));
    }

    [Fact]
    public async Task Nobody_moves_an_order_into_review_or_out_of_it_by_hand()
    {
        var orderId = await ReviewOrders.InsertWaitingAsync(fixture);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);

        using var approveByHand = await admin.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "validated" });
        using var holdByHand = await admin.PatchAsJsonAsync($"/api/v1/orders/{orderId}/status", new { status = "awaiting_review" });

        Assert.Equal(HttpStatusCode.Forbidden, approveByHand.StatusCode);
        Assert.Contains(holdByHand.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.Conflict });
        Assert.Equal("awaiting_review", await ReviewOrders.StatusAsync(fixture, orderId));
    }

    [Fact]
    public async Task The_queue_lists_the_longest_waiting_first_and_pages_with_a_bounded_limit()
    {
        var newest = await ReviewOrders.InsertWaitingAsync(fixture, waited: TimeSpan.FromMinutes(61));
        var oldest = await ReviewOrders.InsertWaitingAsync(fixture, waited: TimeSpan.FromMinutes(63));
        var middle = await ReviewOrders.InsertWaitingAsync(fixture, waited: TimeSpan.FromMinutes(62));
        using var staff = await fixture.LoginAsync(ApiClient.AdminPhone);

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/review/orders?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            var orders = page.GetProperty("orders").EnumerateArray().ToList();
            Assert.True(orders.Count <= 2);
            seen.AddRange(orders.Select(o => o.GetProperty("orderId").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal([oldest, middle, newest], seen.Where(id => id == oldest || id == middle || id == newest));
        foreach (var bad in new[] { "limit=0", "limit=101", "limit=-1", "cursor=not-a-cursor" })
        {
            using var response = await staff.GetAsync($"/api/v1/review/orders?{bad}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_review_metrics_are_exported_and_the_gauge_sees_the_oldest_wait()
    {
        await ReviewOrders.InsertWaitingAsync(fixture, waited: TimeSpan.FromHours(6));
        using var worker = fixture.CreateHttpClient("worker-orders");
        using var api = fixture.CreateHttpClient("api");

        await Eventually.UntilAsync(async () => Sample(await worker.GetStringAsync("/metrics"), "khaacho_review_oldest_age_seconds") >= 6 * 3600,
            30, "the oldest wait measured");
        var metrics = await worker.GetStringAsync("/metrics");
        Assert.True(Sample(metrics, "khaacho_review_waiting") >= 1);
        Assert.True(Sample(metrics, "khaacho_review_queued_total") >= 0);
        Assert.True(Sample(metrics, "khaacho_review_expired_total") >= 0);
        Assert.Contains("khaacho_review_decided_total{", await api.GetStringAsync("/metrics"));
    }

    private static double Sample(string metrics, string name)
    {
        var values = metrics.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return values.Count == 0 ? -1 : values.Sum();
    }

    private async Task<JsonElement> FindInQueueAsync(HttpClient staff, Guid orderId)
    {
        string? cursor = null;
        do
        {
            var page = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/review/orders?limit=100{(cursor is null ? "" : $"&cursor={cursor}")}");
            foreach (var order in page.GetProperty("orders").EnumerateArray())
                if (order.GetProperty("orderId").GetGuid() == orderId) return order;
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        throw new Xunit.Sdk.XunitException($"order {orderId} is not in the review queue");
    }

    private Task<List<string>> NotificationKindsAsync(Guid orderId) =>
        fixture.ColumnAsync<string>("SELECT kind FROM notifications WHERE order_id = @o", ("o", orderId));
}
