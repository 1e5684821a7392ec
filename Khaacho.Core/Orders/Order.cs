namespace Khaacho.Core.Orders;

/// <summary>
/// A retailer's order. Stored in a table range-partitioned by month on <see cref="CreatedAt"/>;
/// the id is a UUIDv7 whose timestamp equals <see cref="CreatedAt"/>, so the id names the partition.
/// </summary>
public sealed class Order
{
    public const decimal VatRate = 0.13m;
    public const string DefaultCurrency = "NPR";

    public Guid Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Assigned by the database on insert (a sequence), e.g. <c>ORD-2611-000123</c>.</summary>
    public string OrderNumber { get; set; } = null!;
    public Guid RetailerId { get; set; }
    /// <summary>The vendor the retailer asked for, then the one the order was routed to.</summary>
    public Guid? VendorId { get; set; }
    public OrderStatus Status { get; set; } = OrderStatus.Received;
    public OrderSource Source { get; set; }
    public string? RawText { get; set; }
    public decimal Subtotal { get; set; }
    public decimal Vat { get; set; }
    public decimal Total { get; set; }
    public string Currency { get; set; } = DefaultCurrency;
    public string? Notes { get; set; }
    public OrderPriority Priority { get; set; } = OrderPriority.Normal;
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ParsingAt { get; set; }
    public DateTimeOffset? ParsedAt { get; set; }
    public DateTimeOffset? ValidatedAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? RejectedAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public string? FailureCode { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>How many times the sweeper drove the order again because its message was lost or never delivered.</summary>
    public int Redrives { get; set; }
    /// <summary>When a confirmed order must be accepted by its vendor, else it is rerouted.</summary>
    public DateTimeOffset? AcceptanceDeadline { get; set; }
    /// <summary>How many times the order was routed to another vendor after a rejection or a missed deadline.</summary>
    public int Reroutes { get; set; }
    /// <summary>Vendors that rejected the order or let its deadline pass: never routed to again.</summary>
    public Guid[] ExcludedVendorIds { get; set; } = [];
    public int? RiskScore { get; set; }
    /// <summary>Why the risk score is what it is (<see cref="RiskAssessment"/>'s reasons), kept for the reviewer.</summary>
    public string[] RiskReasons { get; set; } = [];
    public DateTimeOffset? AwaitingReviewAt { get; set; }
    /// <summary>When an order awaiting review fails as <c>review_expired</c> if nobody decided.</summary>
    public DateTimeOffset? ReviewDeadline { get; set; }
    /// <summary>The staff member who approved or rejected the order in review (<c>operator:&lt;user id&gt;</c>).</summary>
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    /// <summary>
    /// Optimistic concurrency token, bumped by every transition: two workers cannot both move the same order.
    /// (PostgreSQL cannot return xmin from an insert into a partitioned table, so the row carries its own.)
    /// </summary>
    public int Version { get; set; }
    public List<OrderItem> Items { get; set; } = [];

    /// <summary>Creates a received order whose id and creation time agree, as partition pruning needs.</summary>
    public static Order Receive(Guid retailerId, OrderSource source, DateTimeOffset now)
    {
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        return new Order
        {
            Id = Guid.CreateVersion7(createdAt),
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            RetailerId = retailerId,
            Source = source,
        };
    }

    /// <summary>Moves the order to <paramref name="to"/>, stamping the state's timestamp, and returns the history row to store.</summary>
    public OrderStatusChange TransitionTo(OrderStatus to, string actor, string? reason, DateTimeOffset now)
    {
        if (!OrderStateMachine.CanTransition(Status, to))
            throw new IllegalOrderTransitionException(Id, Status, to);
        // Strictly after the previous move (1 µs, PostgreSQL's resolution), so history sorts by time even when several
        // moves happen in one transaction within the same clock tick.
        if (now <= UpdatedAt) now = UpdatedAt.AddTicks(10);

        var change = new OrderStatusChange
        {
            Id = Guid.CreateVersion7(now),
            OrderId = Id,
            CreatedAt = CreatedAt,
            FromStatus = Status,
            ToStatus = to,
            Actor = actor,
            Reason = reason,
            At = now,
        };
        Status = to;
        UpdatedAt = now;
        Version++;
        Stamp(to, now);
        return change;
    }

    /// <summary>
    /// Brings a dead-lettered order back to <see cref="OrderStatus.Received"/> so a replayed message can finish it.
    /// The one way out of a terminal state, and only for orders that failed because their message ran out of attempts.
    /// </summary>
    public OrderStatusChange ReviveForReplay(string actor, DateTimeOffset now)
    {
        if (Status != OrderStatus.Failed || FailureCode != OrderFailureCodes.DeadLettered)
            throw new IllegalOrderTransitionException(Id, Status, OrderStatus.Received);
        if (now <= UpdatedAt) now = UpdatedAt.AddTicks(10);
        var change = new OrderStatusChange
        {
            Id = Guid.CreateVersion7(now), OrderId = Id, CreatedAt = CreatedAt, FromStatus = Status,
            ToStatus = OrderStatus.Received, Actor = actor, Reason = "dead letter replayed", At = now,
        };
        Status = OrderStatus.Received;
        FailureCode = null;
        FailureReason = null;
        FailedAt = null;
        UpdatedAt = now;
        Version++;
        return change;
    }

    /// <summary>Records that the order's current step is being driven again (no state change), so the next look waits longer.</summary>
    public void MarkRedriven(DateTimeOffset now)
    {
        if (now <= UpdatedAt) now = UpdatedAt.AddTicks(10);
        Redrives++;
        UpdatedAt = now;
        Version++;
    }

    private void Stamp(OrderStatus status, DateTimeOffset now)
    {
        switch (status)
        {
            case OrderStatus.Parsing: ParsingAt = now; break;
            case OrderStatus.Parsed: ParsedAt = now; break;
            case OrderStatus.AwaitingReview: AwaitingReviewAt = now; break;
            case OrderStatus.Validated: ValidatedAt = now; break;
            case OrderStatus.Confirmed: ConfirmedAt = now; break;
            case OrderStatus.Accepted: AcceptedAt = now; break;
            case OrderStatus.RejectedByVendor: RejectedAt = now; break;
            case OrderStatus.Dispatched: DispatchedAt = now; break;
            case OrderStatus.Delivered: DeliveredAt = now; break;
            case OrderStatus.Completed: CompletedAt = now; break;
            case OrderStatus.Cancelled: CancelledAt = now; break;
            case OrderStatus.Failed: FailedAt = now; break;
        }
    }
}
