using System.ComponentModel.DataAnnotations;

namespace Khaacho.Worker.Hosting;

/// <summary>Which stream this worker process consumes; one process type per Aspire resource and Kubernetes Deployment.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary><c>orders</c>, <c>ai</c> or <c>notifications</c> (env <c>Worker__Type</c>).</summary>
    [Required]
    [AllowedValues("orders", "ai", "notifications")]
    public string Type { get; set; } = "orders";
}
