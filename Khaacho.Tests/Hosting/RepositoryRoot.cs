namespace Khaacho.Tests.Hosting;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Khaacho.sln, found upward from the test assembly.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Khaacho.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Khaacho.sln not found above " + AppContext.BaseDirectory);
    }
}
