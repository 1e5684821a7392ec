using System.Text.Json;
using Khaacho.Api.Orders;

namespace Khaacho.Tests.Intake;

/// <summary>The Idempotency-Key's body hash is taken over the request as serialized: its member order must not move.</summary>
public sealed class OrderRequestWireTests
{
    [Fact]
    public void An_order_is_serialized_in_the_member_order_its_idempotency_hashes_were_taken_in()
    {
        var request = new SubmitOrderRequest(Items: [new OrderLineRequest(3, ProductCode: "SUGAR-1KG")], Notes: "side door");

        var json = JsonSerializer.Serialize(request, JsonSerializerOptions.Web);

        Assert.Equal("""{"vendorId":null,"items":[{"productId":null,"productCode":"SUGAR-1KG","quantity":3}],"text":null,"notes":"side door","priority":null}""", json);
    }
}
