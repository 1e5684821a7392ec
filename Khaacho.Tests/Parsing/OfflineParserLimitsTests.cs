using Khaacho.Core.Orders;
using Xunit.Abstractions;

namespace Khaacho.Tests.Parsing;

/// <summary>What the offline parser does with hostile text: quantities within the order limits, work bounded for a 4 KB text.</summary>
public sealed class OfflineParserLimitsTests(ITestOutputHelper output)
{
    private const int MaxTextBytes = 4096;

    [Theory]
    [InlineData("chini 99999999999 bora")]
    [InlineData("chini 99999999999")]
    [InlineData("chini x 99999999999")]
    [InlineData("chini 10001 bora")]
    [InlineData("chini 900 dozen")]
    [InlineData("chini 99999999999999999999999999999999999 bora")]
    [InlineData("chini 99999999999999999999999999999999999kg")]
    [InlineData("chini 20000kg")]
    [InlineData("chini 6000 bora, chini 6000 bora")]
    public void A_quantity_beyond_the_order_limit_is_left_unmatched_instead_of_becoming_an_item(string text)
    {
        var parsed = OfflineParserAccuracyTests.CatalogParser().Parse(text);

        Assert.Empty(parsed.Items);
        Assert.NotEmpty(parsed.Unmatched);
        Assert.Equal(0, parsed.Confidence);
    }

    [Theory]
    [InlineData("chini 10000 bora", 10_000)]
    [InlineData("chini 5000 bora, chini 5000 bora", 10_000)]
    [InlineData("chini 3 dozen", 36)]
    public void A_quantity_at_the_order_limit_is_still_an_item(string text, int quantity)
    {
        var parsed = OfflineParserAccuracyTests.CatalogParser().Parse(text);

        Assert.Equal(quantity, Assert.Single(parsed.Items).Quantity);
        Assert.True(quantity <= OrderLimits.MaxQuantity);
    }

    public static TheoryData<string, string> HostileTexts => new()
    {
        { "one long word", new string('c', MaxTextBytes) },
        { "one long number", new string('9', MaxTextBytes) },
        { "one long measure", new string('9', MaxTextBytes - 2) + "kg" },
        { "a long misspelling", "chiniiii" + new string('i', MaxTextBytes - 8) },
        { "many short words", string.Concat(Enumerable.Repeat("chin ", MaxTextBytes / 5)) },
        { "many segments", string.Concat(Enumerable.Repeat("chini 2,", MaxTextBytes / 8)) },
        { "the most segments", string.Concat(Enumerable.Repeat("2,", MaxTextBytes / 2)) },
        { "many digits and dots", string.Concat(Enumerable.Repeat("1.", MaxTextBytes / 2)) },
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Parsing_a_4_KB_text_allocates_a_bounded_amount(string shape, string text)
    {
        var parser = OfflineParserAccuracyTests.CatalogParser();
        parser.Parse("chini 3 bora"); // warm up: regexes and caches are built once, not per text

        var before = GC.GetAllocatedBytesForCurrentThread();
        parser.Parse(text);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{shape}: {allocated:N0} bytes");

        // A 4 KB text is 8 KB of UTF-16 and at most 2,048 segments: a few copies of it and ~500 bytes per segment is
        // fine (≈1 MB at most); megabytes for one token (8.5 MB before the fix) or 77 MB for 512 segments is not.
        Assert.True(allocated < 1536 * 1024, $"{shape}: parsing {text.Length} characters allocated {allocated:N0} bytes");
    }
}
