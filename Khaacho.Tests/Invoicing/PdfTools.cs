using System.Diagnostics;

namespace Khaacho.Tests.Invoicing;

/// <summary>poppler-utils (<c>./khaacho test</c> installs it): a PDF's text, its page count, and its first page as a PNG.</summary>
public static class PdfTools
{
    public static async Task<string> TextAsync(byte[] pdf) => await RunAsync("pdftotext", pdf, "-layout", "{in}", "-");

    public static async Task<int> PageCountAsync(byte[] pdf)
    {
        var info = await RunAsync("pdfinfo", pdf, "{in}");
        var line = info.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        return int.Parse(line["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Page 1 at 80 dpi, as <c>pdftoppm -png -r 80 -f 1 -l 1</c> draws it.</summary>
    public static async Task<byte[]> FirstPagePngAsync(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("khaacho-pdf-");
        try
        {
            var prefix = Path.Combine(folder.FullName, "page");
            await RunAsync("pdftoppm", pdf, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "{in}", prefix);
            return await File.ReadAllBytesAsync(prefix + ".png");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static void AssertIsPng(byte[] png, int minimumBytes)
    {
        Assert.True(png.Length >= minimumBytes, $"a PNG of {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // IHDR: width and height, big-endian, at 16..24. A4 at 80 dpi is about 661 × 935 pixels.
        var width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        var height = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        Assert.InRange(width, 650, 670);
        Assert.InRange(height, 925, 945);
    }

    private static async Task<string> RunAsync(string tool, byte[] pdf, params string[] arguments)
    {
        var input = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(input, pdf);
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument == "{in}" ? input : argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {await error}");
            return await output;
        }
        finally
        {
            File.Delete(input);
        }
    }
}
