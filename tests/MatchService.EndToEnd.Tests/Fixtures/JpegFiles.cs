using System.Diagnostics;
using System.Text;
using MatchService.Imaging;

namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>JPEG encoding for test images through libjpeg-turbo's own <c>cjpeg</c> (the service itself never encodes).</summary>
public static class JpegFiles
{
    /// <summary>Encodes an image at the given quality.</summary>
    public static byte[] Encode(RgbImage image, int quality = 92)
    {
        ArgumentNullException.ThrowIfNull(image);
        var header = Encoding.ASCII.GetBytes($"P6\n{image.Width} {image.Height}\n255\n");
        var start = new ProcessStartInfo("cjpeg", $"-quality {quality}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cjpeg did not start (install libjpeg-turbo-progs: scripts/setup.sh)");
        using var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        using (var input = process.StandardInput.BaseStream)
        {
            input.Write(header);
            input.Write(image.Pixels);
        }

        reading.GetAwaiter().GetResult();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.ToArray() : throw new InvalidOperationException("cjpeg failed: " + errors.GetAwaiter().GetResult());
    }
}
