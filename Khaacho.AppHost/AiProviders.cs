namespace Khaacho.AppHost;

/// <summary>
/// The AI model providers' settings for the projects that parse order texts (api for previews, worker-ai). None is
/// required: with no key or endpoint the offline parser answers alone. Keys are secret parameters
/// (<c>Parameters:openai-api-key</c>, <c>Parameters:anthropic-api-key</c>, e.g. in user secrets); the rest of the
/// <c>Ai</c> section (endpoints, models, prices, budget) is passed through as configuration.
/// </summary>
internal static class AiProviders
{
    private static readonly (string Provider, string Parameter)[] Keys = [("openai", "openai-api-key"), ("anthropic", "anthropic-api-key")];

    public static IResourceBuilder<ProjectResource> WithAiProviders(this IResourceBuilder<ProjectResource> project)
    {
        var builder = project.ApplicationBuilder;
        project.WithConfigurationSection("Ai");
        foreach (var (provider, parameterName) in Keys)
        {
            // Running locally, an unset secret would leave the project waiting for it; a manifest always declares it.
            if (builder.ExecutionContext.IsRunMode && string.IsNullOrEmpty(builder.Configuration[$"Parameters:{parameterName}"])) continue;
            project.WithEnvironment($"Ai__Providers__{provider}__ApiKey", Parameter(builder, parameterName));
        }
        return project;
    }

    private static IResourceBuilder<ParameterResource> Parameter(IDistributedApplicationBuilder builder, string name) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == name) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(name, secret: true);
}
