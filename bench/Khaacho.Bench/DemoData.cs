using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Khaacho.Bench;

/// <summary>
/// What the load is made of, from the seed catalogue: a token per demo retailer, items orders of 1 to 3 lines of
/// products that at least two vendors stock well (as bench/load.mjs does), chat texts, and the retailers' phones.
/// </summary>
internal sealed class DemoData
{
    private readonly JsonNode catalog;
    public IReadOnlyList<string> StockedProductCodes { get; }
    public IReadOnlyList<string> ConfidentTexts { get; }
    /// <summary>Every demo retailer's phone (E.164), in catalogue order.</summary>
    public IReadOnlyList<string> RetailerPhones { get; }

    /// <summary>
    /// WhatsApp orders the offline parser reads whole, every line from products one vendor carries: each is read back
    /// (priced, with Confirm and Cancel), never asked about, and needs no model.
    /// </summary>
    public static readonly string[] ChatOrders =
    [
        "chini 2 bora, wai wai 3 carton",
        "rara 2 carton",
        "chini 3 bora",
        "wai wai 5 carton, rara 2 carton",
        "10 bags jeera masino rice",
        "2 tray anda",
        "musuro dal 15 kg",
        "sunflower oil 1 ltr x 24\nmustard oil 12 bottle",
    ];

    /// <summary>Texts the offline parser cannot turn into items with confidence: these need the model.</summary>
    public static readonly string[] UnclearTexts =
    [
        "dai last week ko jasto nai pathaidinus, ali badi",
        "same as usual please, and something for the festival",
        "tyo naya brand ko saman 2 ota",
        "k k chaincha bhanera sodhnu na, ma pachi bhanchu",
        "send whatever sells fast this month",
        "hijo ko order ma ali thapera",
    ];

    private DemoData(JsonNode catalog, IReadOnlyList<string> stocked, IReadOnlyList<string> texts)
    {
        this.catalog = catalog;
        StockedProductCodes = stocked;
        ConfidentTexts = texts;
        RetailerPhones = [.. catalog["retailers"]!.AsArray().Select(r => (string)r!["phone"]!)];
    }

    public static DemoData Load(string root)
    {
        var catalog = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "Khaacho.Worker/Database/Seed/catalog.json")))!;
        var vendors = catalog["vendors"]!.AsArray();
        var stocked = catalog["products"]!.AsArray()
            .Select(p => (string)p!["code"]!)
            .Where(code => vendors.Count(v => v!["products"]!.AsArray().Any(o => (string)o!["productCode"]! == code && (int)o!["stock"]! >= 300)) >= 2)
            .ToList();
        // The labelled chat orders with at least one expected item: the offline parser reads these with confidence.
        var cases = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "Khaacho.Tests/Data/order-texts.json")))!["cases"]!.AsArray();
        var texts = cases.Where(c => c!["expected"]!.AsArray().Count > 0).Select(c => (string)c!["text"]!).ToList();
        return new DemoData(catalog, stocked, texts);
    }

    public async Task<IReadOnlyList<string>> RetailerTokensAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var password = (string)catalog["demoLogins"]!["password"]!;
        var tokens = new List<string>();
        foreach (var retailer in catalog["retailers"]!.AsArray())
        {
            using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { phone = (string)retailer!["phone"]!, password }, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            tokens.Add(json.RootElement.GetProperty("accessToken").GetString()!);
        }
        return tokens;
    }

    /// <summary>Order n of a deterministic sequence: 1 to 3 distinct lines, quantity 1 to 3.</summary>
    public string ItemsOrder(long n)
    {
        var random = new Random(unchecked((int)(n * 2654435761L)));
        var lines = Enumerable.Range(0, 1 + random.Next(3))
            .Select(_ => StockedProductCodes[random.Next(StockedProductCodes.Count)])
            .Distinct()
            .Select(code => new { productCode = code, quantity = 1 + random.Next(3) });
        return JsonSerializer.Serialize(new { items = lines });
    }

    /// <summary>Text order n: every <paramref name="unclearEvery"/>-th is a text the offline parser cannot read.</summary>
    public string TextOrder(long n, int unclearEvery) =>
        JsonSerializer.Serialize(new
        {
            text = n % unclearEvery == unclearEvery - 1
                ? UnclearTexts[(int)(n / unclearEvery % UnclearTexts.Length)]
                : ConfidentTexts[(int)(n % ConfidentTexts.Count)],
        });
}
