namespace Khaacho.Ai;

/// <summary>What the wire saw during one model call: how many requests left and the last status that came back.</summary>
public sealed class ModelCallObservation
{
    private static readonly AsyncLocal<ModelCallObservation?> current = new();
    public int Requests { get; private set; }
    public int? LastStatus { get; private set; }

    public static ModelCallObservation? Current => current.Value;

    public static ModelCallObservation Begin() => current.Value = new ModelCallObservation();

    internal void Saw(int status)
    {
        Requests++;
        LastStatus = status;
    }

    internal void Sent() => Requests++;
}

/// <summary>
/// Innermost handler of each provider's HttpClient (inside retries and the circuit breaker): records every attempt's
/// status, so a failure is classified by what the provider answered, whichever SDK wrapped it.
/// </summary>
public sealed class ModelHttpObserver : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var observation = ModelCallObservation.Current;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            observation?.Saw((int)response.StatusCode);
            return response;
        }
        catch
        {
            observation?.Sent();
            throw;
        }
    }
}
