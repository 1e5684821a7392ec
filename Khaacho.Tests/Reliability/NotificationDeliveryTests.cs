using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Tests.Hosting;
using Khaacho.Worker.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Khaacho.Tests.Reliability;

/// <summary>Issue 12, finding 6: every notification owed is delivered, and none twice.</summary>
[Collection(AppCollection.Name)]
public sealed class NotificationDeliveryTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task The_notifications_client_sends_a_failing_message_once_leaving_retries_to_the_stream()
    {
        await using var failing = new FailingCloudApi();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        // As the service defaults give every client: the standard handler, which retries POSTs.
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        services.AddOptions<NotificationOptions>();
        services.AddNotificationHttpClient();
        await using var provider = services.BuildServiceProvider();

        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient(NotificationDelivery.HttpClientName)
            .PostAsJsonAsync(failing.Url, new { messaging_product = "whatsapp" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, failing.Requests);
    }

    [Fact]
    public async Task A_notification_delivered_twice_by_the_stream_is_sent_once()
    {
        var notificationId = await InsertPendingAsync("twice");
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var payload = await PayloadAsync(notificationId);
        await redis.GetDatabase().StreamAddAsync(Streams.Notifications, [new("payload", payload)]);
        await redis.GetDatabase().StreamAddAsync(Streams.Notifications, [new("payload", payload)]);

        await Eventually.UntilAsync(async () => await StatusAsync(notificationId) == "sent", 60, "the notification sent");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, SentCount(notificationId));
    }

    [Fact]
    public async Task Replaying_a_failed_notification_sends_it()
    {
        var notificationId = await InsertPendingAsync("failed, then replayed");
        await fixture.ExecuteAsync("UPDATE notifications SET status = 'failed', last_error = 'webhook down' WHERE id = @n", ("n", notificationId));
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var letterId = await redis.GetDatabase().StreamAddAsync(Streams.DeadLetters(Streams.Notifications),
        [
            new(DeadLetterFields.Stream, Streams.Notifications), new(DeadLetterFields.OriginalId, "0-1"),
            new(DeadLetterFields.Payload, await PayloadAsync(notificationId)), new(DeadLetterFields.TraceParent, ""),
            new(DeadLetterFields.Attempts, 5), new(DeadLetterFields.Error, "webhook down"),
            new(DeadLetterFields.FirstSeenAt, 0), new(DeadLetterFields.DeadLetteredAt, 0),
        ]);
        using var admin = await fixture.LoginAsync(ApiClient.AdminPhone);

        using var replay = await admin.PostAsync($"/api/v1/admin/dead-letters/{letterId}/replay?stream={Streams.Notifications}", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Eventually.UntilAsync(async () => await StatusAsync(notificationId) == "sent", 60, "the replayed notification sent");
        Assert.Equal(1, SentCount(notificationId));
    }

    [Fact]
    public async Task Each_reroute_tells_the_retailer_the_new_total()
    {
        using var retailer = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 8));
        var orderId = await retailer.SubmitAsync("""{"items":[{"productCode":"DAL-MOONG-1KG","quantity":2}]}""");
        for (var reroute = 1; reroute <= 2; reroute++)
        {
            var vendor = (await retailer.WaitForStatusAsync(orderId, "confirmed", "failed")).GetProperty("result").GetProperty("vendorId").GetGuid();
            await fixture.ExecuteAsync("UPDATE orders SET acceptance_deadline = now() - interval '1 minute' WHERE id = @o", ("o", orderId));
            await Eventually.UntilAsync(async () => await fixture.ScalarAsync<int>("SELECT reroutes FROM orders WHERE id = @o", ("o", orderId)) == reroute
                && await fixture.ScalarAsync<string>("SELECT status FROM orders WHERE id = @o", ("o", orderId)) == "confirmed", 60, $"reroute {reroute}");
        }

        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM notifications WHERE order_id = @o AND kind = 'order_rerouted'", ("o", orderId)) == 2, 30, "two reroute notices");
    }

    private async Task<Guid> InsertPendingAsync(string text)
    {
        var (orderId, _) = await StalledOrder.InsertAsync(fixture, "accepted", redrives: 0, age: TimeSpan.Zero);
        var notificationId = Guid.CreateVersion7();
        await fixture.ExecuteAsync("""
            INSERT INTO notifications (id, recipient_kind, recipient_id, order_id, kind, message, status, created_at, queued_at)
            SELECT @n, 'retailer', retailer_id, id, 'order_accepted', @t, 'pending', now(), now() FROM orders WHERE id = @o
            """, ("n", notificationId), ("o", orderId), ("t", text));
        return notificationId;
    }

    private async Task<string> PayloadAsync(Guid notificationId)
    {
        var orderId = await fixture.ScalarAsync<Guid>("SELECT order_id FROM notifications WHERE id = @n", ("n", notificationId));
        var retailerId = await fixture.ScalarAsync<Guid>("SELECT recipient_id FROM notifications WHERE id = @n", ("n", notificationId));
        return new NotificationMessage(notificationId, orderId, RecipientKind.Retailer, retailerId, "order_accepted", "text").ToJson();
    }

    private Task<string> StatusAsync(Guid notificationId) => fixture.ScalarAsync<string>("SELECT status FROM notifications WHERE id = @n", ("n", notificationId));

    private int SentCount(Guid notificationId) => fixture.WhatsApp.Received.Count(m =>
        m.Body.TryGetProperty("biz_opaque_callback_data", out var id) && id.GetString() == notificationId.ToString());

    private sealed class FailingCloudApi : StubServer
    {
        private int requests;

        public string Url => $"http://127.0.0.1:{Port}/v21.0/1/messages";
        public int Requests => requests;

        protected override Task AnswerAsync(HttpListenerContext context)
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = 500;
            context.Response.Close();
            return Task.CompletedTask;
        }
    }
}
