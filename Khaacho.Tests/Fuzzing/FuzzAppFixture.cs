using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Fuzzing;

/// <summary>
/// A system of its own for the fuzzer: it submits thousands of orders that reserve the demo vendors' stock and spend
/// the demo retailers' credit, which would change what the other whole-app tests see.
/// </summary>
public sealed class FuzzAppFixture : KhaachoAppFixture;

[CollectionDefinition(Name)]
public sealed class FuzzAppCollection : ICollectionFixture<FuzzAppFixture>
{
    public const string Name = "Whole app under fuzzing";
}
