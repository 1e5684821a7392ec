namespace Khaacho.AppHost;

internal static class Secrets
{
    /// <summary>
    /// The api's JWT signing key. Running locally, Aspire generates one (persisted in the AppHost's user secrets);
    /// a published manifest carries a secret parameter with no default, so a deployment must supply its own.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddJwtSigningKey(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode
            ? builder.AddParameter("jwt-signing-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true)
            : builder.AddParameter("jwt-signing-key", secret: true);
}
