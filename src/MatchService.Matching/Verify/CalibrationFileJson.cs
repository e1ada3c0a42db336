using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatchService.Matching.Verify;

/// <summary>A calibration file that cannot be used; <see cref="Field"/> names the JSON field.</summary>
public sealed class CalibrationFileException : FormatException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public CalibrationFileException(string field, string message, Exception? inner = null)
        : base($"calibration file, {field}: {message}", inner)
    {
        Field = field;
    }

    /// <summary>The JSON field that was wrong.</summary>
    public string Field { get; }
}

/// <summary>
/// Reads and writes <see cref="CalibrationFile"/> as JSON (camelCase, enums as strings) on strings and streams;
/// opening files is the caller's job. Reading validates the format tag, version, curve and scores.
/// </summary>
public static class CalibrationFileJson
{
    /// <summary>The file as indented JSON.</summary>
    public static string Serialize(CalibrationFile file) =>
        JsonSerializer.Serialize(file, CalibrationJsonContext.Default.CalibrationFile);

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public static Task SerializeAsync(Stream stream, CalibrationFile file, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, file, CalibrationJsonContext.Default.CalibrationFile, cancellationToken);

    /// <summary>Parses and validates a file.</summary>
    public static CalibrationFile Deserialize(string json)
    {
        CalibrationFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, CalibrationJsonContext.Default.CalibrationFile);
        }
        catch (JsonException ex)
        {
            throw new CalibrationFileException(ex.Path ?? "$", ex.Message, ex);
        }

        return Validate(file);
    }

    /// <summary>Reads and validates a file from <paramref name="stream"/>.</summary>
    public static async Task<CalibrationFile> DeserializeAsync(Stream stream, CancellationToken cancellationToken)
    {
        CalibrationFile? file;
        try
        {
            file = await JsonSerializer.DeserializeAsync(stream, CalibrationJsonContext.Default.CalibrationFile, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new CalibrationFileException(ex.Path ?? "$", ex.Message, ex);
        }

        return Validate(file);
    }

    private static CalibrationFile Validate(CalibrationFile? file)
    {
        if (file is null)
        {
            throw new CalibrationFileException("$", "is null");
        }

        if (file.Format != CalibrationFile.FormatName)
        {
            throw new CalibrationFileException("format", $"is '{file.Format}'; expected '{CalibrationFile.FormatName}'");
        }

        if (file.FormatVersion != CalibrationFile.CurrentFormatVersion)
        {
            throw new CalibrationFileException("formatVersion", $"is {file.FormatVersion}; this build reads version {CalibrationFile.CurrentFormatVersion}");
        }

        if (!(file.A > 0) || !double.IsFinite(file.A))
        {
            throw new CalibrationFileException("a", $"is {file.A}; expected a positive slope");
        }

        if (!double.IsFinite(file.B))
        {
            throw new CalibrationFileException("b", $"is {file.B}; expected a finite offset");
        }

        CheckScores(file.GenuineScores, "genuineScores");
        CheckScores(file.ImpostorScores, "impostorScores");
        return file;
    }

    private static void CheckScores(IReadOnlyList<double>? scores, string field)
    {
        if (scores is null || scores.Count == 0)
        {
            throw new CalibrationFileException(field, "is empty; rebuild the file with matchctl calibrate");
        }

        for (var i = 0; i < scores.Count; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new CalibrationFileException($"{field}[{i}]", $"is {scores[i]}; scores must be finite");
            }
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CalibrationFile))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;
