using Khaacho.Core.Identity;
using Khaacho.Core.Orders;

namespace Khaacho.Tests.Orders;

public sealed class OrderStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(OrderStatus.Received, OrderStatus.Parsing)]
    [InlineData(OrderStatus.Received, OrderStatus.Validated)]
    [InlineData(OrderStatus.Parsing, OrderStatus.Parsed)]
    [InlineData(OrderStatus.Parsing, OrderStatus.NeedsClarification)]
    [InlineData(OrderStatus.Parsed, OrderStatus.Validated)]
    [InlineData(OrderStatus.Validated, OrderStatus.Confirmed)]
    [InlineData(OrderStatus.Confirmed, OrderStatus.Accepted)]
    [InlineData(OrderStatus.Confirmed, OrderStatus.RejectedByVendor)]
    [InlineData(OrderStatus.RejectedByVendor, OrderStatus.Confirmed)]
    [InlineData(OrderStatus.Accepted, OrderStatus.Dispatched)]
    [InlineData(OrderStatus.Dispatched, OrderStatus.Delivered)]
    [InlineData(OrderStatus.Delivered, OrderStatus.Completed)]
    [InlineData(OrderStatus.Parsing, OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Dispatched, OrderStatus.Failed)]
    [InlineData(OrderStatus.Received, OrderStatus.AwaitingReview)]
    [InlineData(OrderStatus.Parsed, OrderStatus.AwaitingReview)]
    [InlineData(OrderStatus.AwaitingReview, OrderStatus.Validated)]
    [InlineData(OrderStatus.AwaitingReview, OrderStatus.Failed)]
    [InlineData(OrderStatus.AwaitingReview, OrderStatus.Cancelled)]
    public void Legal_transitions_are_allowed(OrderStatus from, OrderStatus to) =>
        Assert.True(OrderStateMachine.CanTransition(from, to));

    [Theory]
    [InlineData(OrderStatus.Received, OrderStatus.Confirmed)]
    [InlineData(OrderStatus.Parsing, OrderStatus.Validated)]
    [InlineData(OrderStatus.Validated, OrderStatus.Accepted)]
    [InlineData(OrderStatus.Accepted, OrderStatus.Delivered)]
    [InlineData(OrderStatus.Delivered, OrderStatus.Dispatched)]
    [InlineData(OrderStatus.Completed, OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Cancelled, OrderStatus.Failed)]
    [InlineData(OrderStatus.Failed, OrderStatus.Received)]
    [InlineData(OrderStatus.Confirmed, OrderStatus.Confirmed)]
    [InlineData(OrderStatus.AwaitingReview, OrderStatus.Confirmed)]
    [InlineData(OrderStatus.AwaitingReview, OrderStatus.AwaitingReview)]
    [InlineData(OrderStatus.AwaitingReview, OrderStatus.Parsing)]
    [InlineData(OrderStatus.Validated, OrderStatus.AwaitingReview)]
    [InlineData(OrderStatus.Parsing, OrderStatus.AwaitingReview)]
    [InlineData(OrderStatus.Failed, OrderStatus.AwaitingReview)]
    public void Illegal_transitions_are_refused(OrderStatus from, OrderStatus to) =>
        Assert.False(OrderStateMachine.CanTransition(from, to));

    [Fact]
    public void Terminal_states_have_no_next_state()
    {
        foreach (var terminal in new[] { OrderStatus.Completed, OrderStatus.Cancelled, OrderStatus.Failed })
            Assert.Empty(OrderStateMachine.NextStates(terminal));
    }

    [Fact]
    public void A_transition_stamps_the_state_time_and_returns_its_history_row()
    {
        var order = Order.Receive(Guid.CreateVersion7(), OrderSource.Items, Now);

        var change = order.TransitionTo(OrderStatus.Validated, "worker-orders", null, Now.AddSeconds(1));

        Assert.Equal(OrderStatus.Validated, order.Status);
        Assert.Equal(Now.AddSeconds(1), order.ValidatedAt);
        Assert.Equal((OrderStatus?)OrderStatus.Received, change.FromStatus);
        Assert.Equal(OrderStatus.Validated, change.ToStatus);
        Assert.Equal((order.Id, order.CreatedAt), (change.OrderId, change.CreatedAt));
    }

    [Fact]
    public void An_illegal_transition_throws_and_leaves_the_order_unchanged()
    {
        var order = Order.Receive(Guid.CreateVersion7(), OrderSource.Items, Now);

        var error = Assert.Throws<IllegalOrderTransitionException>(() => order.TransitionTo(OrderStatus.Delivered, "vendor", null, Now));

        Assert.Equal(OrderStatus.Received, order.Status);
        Assert.Contains("received to delivered", error.Message);
    }

    [Fact]
    public void A_received_order_id_carries_its_creation_time()
    {
        var order = Order.Receive(Guid.CreateVersion7(), OrderSource.Text, Now.AddTicks(5_000));

        var bytes = order.Id.ToByteArray(bigEndian: true);
        var millis = ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5];
        Assert.Equal(order.CreatedAt.ToUnixTimeMilliseconds(), millis);
        Assert.Equal(Now, order.CreatedAt);
    }

    [Fact]
    public void The_sweepers_sql_filter_names_exactly_the_pipeline_states()
    {
        var inSql = System.Text.RegularExpressions.Regex.Matches(OrderStateMachine.InPipelineSqlFilter, "'([a-z_]+)'").Select(m => m.Groups[1].Value);

        Assert.Equal(OrderStateMachine.InPipeline.Select(s => s.ToWire()).Order(), inSql.Order());
    }

    [Fact]
    public void The_pipeline_states_are_those_a_worker_moves_an_order_out_of_without_waiting_for_anyone()
    {
        Assert.DoesNotContain(OrderStatus.NeedsClarification, OrderStateMachine.InPipeline);
        Assert.DoesNotContain(OrderStatus.Confirmed, OrderStateMachine.InPipeline);
        Assert.DoesNotContain(OrderStatus.AwaitingReview, OrderStateMachine.InPipeline);
        Assert.All(OrderStateMachine.InPipeline, s => Assert.False(OrderStateMachine.IsTerminal(s)));
    }

    [Fact]
    public void Holding_for_review_stamps_when_the_wait_began()
    {
        var order = Order.Receive(Guid.CreateVersion7(), OrderSource.Items, Now);

        order.TransitionTo(OrderStatus.AwaitingReview, "worker-orders", "risk score 80", Now.AddSeconds(2));

        Assert.Equal(Now.AddSeconds(2), order.AwaitingReviewAt);
        Assert.Equal([OrderStatus.Validated, OrderStatus.Cancelled, OrderStatus.Failed], OrderStateMachine.NextStates(OrderStatus.AwaitingReview));
    }

    [Theory]
    [InlineData(UserRole.Retailer, OrderStatus.Cancelled, true)]
    [InlineData(UserRole.Operator, OrderStatus.Cancelled, true)]
    [InlineData(UserRole.Admin, OrderStatus.Validated, false)]
    [InlineData(UserRole.Admin, OrderStatus.Failed, true)]
    [InlineData(UserRole.Vendor, OrderStatus.Cancelled, false)]
    public void By_hand_an_order_awaiting_review_may_only_be_cancelled_or_failed_never_approved(UserRole role, OrderStatus to, bool allowed)
    {
        var user = new CurrentUser(Guid.CreateVersion7(), role, null, null);

        Assert.Equal(allowed, ManualTransitions.MayMove(user, OrderStatus.AwaitingReview, to));
        Assert.False(ManualTransitions.MayEverMoveTo(user, OrderStatus.AwaitingReview));
    }
}
