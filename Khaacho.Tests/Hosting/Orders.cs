using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Khaacho.Tests.Hosting;

public static class Orders
{
    public static async Task<Guid> SubmitAsync(this HttpClient retailer, string body)
    {
        using var response = await retailer.PostAsync("/api/v1/orders", ApiClient.Json(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
    }

    /// <summary>Polls the status endpoint until the order's status is one of <paramref name="statuses"/>.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(this HttpClient client, Guid orderId, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/status");
            if (statuses.Contains(status.GetProperty("orderStatus").GetString()) || DateTime.UtcNow > deadline) return status;
            await Task.Delay(200);
        }
    }
}
