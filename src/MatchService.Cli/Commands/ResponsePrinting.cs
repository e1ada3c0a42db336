using System.Globalization;
using Google.Protobuf;
using MatchService.Contracts.V1;
using Spectre.Console;

namespace MatchService.Cli.Commands;

/// <summary>Shared output of the face commands: --json through Google.Protobuf's JsonFormatter, figures as text.</summary>
public static class ResponsePrinting
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    /// <summary>The response as protobuf JSON (every field, defaults included).</summary>
    public static string ToJson(IMessage message) => Json.Format(message);

    /// <summary>Reads image files as proto images (id = file name); throws naming a missing file or a folder given as one.</summary>
    public static Image ReadImage(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Directory.Exists(file.FullName))
        {
            throw new UsageException($"{file.FullName} is a folder; give image files (e.g. {Path.Combine(file.FullName, "*.jpg")})");
        }

        if (!file.Exists)
        {
            throw new FileNotFoundException($"{file.FullName} does not exist", file.FullName);
        }

        return new Image { Id = file.Name, Data = ByteString.CopyFrom(File.ReadAllBytes(file.FullName)) };
    }

    /// <summary>A number with fixed digits.</summary>
    public static string F(double value, int digits = 3) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A box as x,y w×h.</summary>
    public static string Box(Box? box) => box is null ? "-" : $"{F(box.X, 0)},{F(box.Y, 0)} {F(box.Width, 0)}x{F(box.Height, 0)}";

    /// <summary>The verdict coloured.</summary>
    public static string VerdictMarkup(Verdict verdict) => verdict switch
    {
        Contracts.V1.Verdict.Same => "[green]SAME[/]",
        Contracts.V1.Verdict.Different => "[red]DIFFERENT[/]",
        Contracts.V1.Verdict.Undetermined => "[yellow]UNDETERMINED[/]",
        _ => "?",
    };

    /// <summary>One face's figures as a line.</summary>
    public static string Face(Face? face) => face is null ? "-" : Markup.Escape(string.Create(CultureInfo.InvariantCulture,
        $"box {Box(face.Box)} detector {F(face.DetectorScore, 2)}, q {F(face.Quality)} (sharpness {F(face.Sharpness, 2)}, size {F(face.SizeScore, 2)}, mean conf {F(face.MeanConfidence)}), evidence {F(face.Evidence)} = detail {F(face.SharpnessTerm, 2)} x coverage {F(face.CoverageTerm, 2)}"));
}
