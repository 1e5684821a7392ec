using Khaacho.Deploy;

namespace Khaacho.Deploy.Tests;

internal static class Repository
{
    /// <summary>The folder holding Khaacho.sln, found upward from the test assembly.</summary>
    public static string Root { get; } = DeployInputs.FindRepositoryRoot(AppContext.BaseDirectory);

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
