using System.Text.Json;

namespace MatchService.ModelForge.Tests.Support;

/// <summary>The committed output of reference/make-tfjs-golden.mjs (human-models graph models on tfjs' CPU backend).</summary>
internal sealed record TfjsGolden(string Reference, IReadOnlyList<TfjsGoldenModel> Models)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly Lazy<TfjsGolden> Shared = new(() => JsonSerializer.Deserialize<TfjsGolden>(
        File.ReadAllText(RepoPaths.Golden("tfjs-graph-reference.json")), JsonOptions)!);

    public static TfjsGolden Load() => Shared.Value;

    public TfjsGoldenModel Model(string name) => Models.Single(m => m.Model == name);
}

internal sealed record TfjsGoldenModel(string Model, int Side, string Dtype, double Scale, double Offset,
    IReadOnlyList<string> Outputs, IReadOnlyList<TfjsGoldenSample> Samples);

internal sealed record TfjsGoldenSample(string File, TfjsGoldenInput Input, IReadOnlyDictionary<string, TfjsGoldenOutput> Outputs)
{
    public int Number => int.Parse(File.AsSpan(6, 1), provider: System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed record TfjsGoldenInput(IReadOnlyList<GoldenProbe> Probes, double Sum);

internal sealed record TfjsGoldenOutput(long[] Shape, int RowSize, IReadOnlyList<TfjsGoldenRow> Rows);

internal sealed record TfjsGoldenRow(int Index, float[] Values);
