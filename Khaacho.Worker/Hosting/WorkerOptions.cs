using System.ComponentModel.DataAnnotations;

namespace Khaacho.Worker.Hosting;

/// <summary>Which stream this worker process consumes; one process type per Aspire resource and Kubernetes Deployment.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary><c>orders</c>, <c>ai</c>, <c>notifications</c> or <c>whatsapp</c> (env <c>Worker__Type</c>).</summary>
    [Required]
    [AllowedValues("orders", "ai", "notifications", "whatsapp")]
    public string Type { get; set; } = "orders";
}
