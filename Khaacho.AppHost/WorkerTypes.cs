namespace Khaacho.AppHost;

/// <summary>One Aspire resource (and one Kubernetes Deployment) per stream the Worker project consumes.</summary>
public static class WorkerTypes
{
    public const string Orders = "orders";
    public const string Ai = "ai";
    public const string Notifications = "notifications";
    public const string WhatsApp = "whatsapp";

    public static readonly string[] All = [Orders, Ai, Notifications, WhatsApp];

    /// <summary>The worker types that call the model providers: the ai worker, and the whatsapp worker reading chat orders.</summary>
    public static bool CallsModels(string workerType) => workerType is Ai or WhatsApp;

    public static string ResourceName(string workerType) => $"worker-{workerType}";

    /// <summary>
    /// The AppHost setting whose subkeys are passed to one worker type, e.g. <c>Workers__orders__Orders__AcceptanceDeadline</c>
    /// becomes the orders worker's <c>Orders__AcceptanceDeadline</c>.
    /// </summary>
    public static string ConfigurationSection(string workerType) => $"Workers:{workerType}";
}
