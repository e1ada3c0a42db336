using MatchService.ModelForge.Graph;
using Onnx;

namespace MatchService.ModelForge.Descriptors;

/// <summary>
/// A classical, deterministic appearance descriptor written as an ONNX graph of plain operators: over a grid of
/// cells (horizontal stripes when <see cref="Columns"/> is 1) it pools soft-binned histograms of chromaticity
/// (r = R/(R+G+B), g = G/(R+G+B)) and intensity, and a magnitude-weighted histogram of unsigned gradient orientation
/// (Sobel; bins from cos 2θ and sin 2θ, so no atan is needed). Colour parts take a square root (Hellinger),
/// orientation parts are normalised per cell; each group is L2-normalised, weighted and the result L2-normalised.
/// Input "input" [B,H,W,3] RGB in [0, 1]; output "embedding" [B,D] of unit length.
/// </summary>
public sealed record StripeHistogramDescriptor(string GraphName, int Height, int Width, int Rows, int Columns,
    int ColourBins = 8, int OrientationBins = 8, float ColourWeight = 0.8f)
{
    private const float Epsilon = 1e-6f;

    // Chromaticity of natural images sits well inside [0, 1]; bins cover the useful range, values beyond are clipped.
    private static readonly float[] Low = [0.15f, 0.15f, 0f];
    private static readonly float[] High = [0.6f, 0.55f, 1f];

    /// <summary>Features per cell.</summary>
    public int CellFeatures => (3 * ColourBins) + OrientationBins;

    /// <summary>Output dimension.</summary>
    public int Dimension => Rows * Columns * CellFeatures;

    /// <summary>Builds the graph.</summary>
    public ModelProto Build()
    {
        if (Height % Rows != 0 || Width % Columns != 0)
        {
            throw new ArgumentException($"{GraphName}: {Height}x{Width} does not split into {Rows}x{Columns} cells");
        }
        var g = new OnnxGraphBuilder(GraphName);
        var x = g.Input("input", Height, Width, 3);
        var axis3 = g.Int64s("axis3", 3);

        // Chromaticity and intensity, clipped to the binned range.
        var sum = g.Node("Add", [g.Node("ReduceSum", [x, axis3], "rgb_sum", Attr.Count("keepdims", 1)), g.Scalar("eps", Epsilon)], "rgb_sum_eps");
        var chroma = g.Node("Div", [g.Node("Slice", [x, g.Int64s("c0", 0), g.Int64s("c2", 2), axis3], "rg"), sum], "chroma");
        var intensity = g.Node("Div", [sum, g.Scalar("three", 3f)], "intensity");
        var values = g.Node("Concat", [chroma, intensity], "colour_values", Attr.Count("axis", 3));
        values = g.Node("Min", [g.Node("Max", [values, g.Constant("low", Low, 3)]), g.Constant("high", High, 3)], "colour_clipped");

        // Triangular soft binning: weight = relu(1 − |v − centre| / spacing); the weights of one value sum to 1.
        var centres = new float[3 * ColourBins];
        var spacing = new float[3];
        for (var c = 0; c < 3; c++)
        {
            spacing[c] = (High[c] - Low[c]) / (ColourBins - 1);
            for (var k = 0; k < ColourBins; k++)
            {
                centres[(c * ColourBins) + k] = Low[c] + (k * spacing[c]);
            }
        }
        var distance = g.Node("Abs", [g.Node("Sub", [g.Node("Unsqueeze", [values, g.Int64s("axis4", 4)]), g.Constant("bin_centres", centres, 3, ColourBins)])]);
        var colourBins = g.Node("Relu", [g.Node("Sub", [g.Scalar("one", 1f), g.Node("Div", [distance, g.Constant("bin_spacing", spacing, 3, 1)])])], "colour_bins");
        colourBins = g.Node("Reshape", [colourBins, g.Int64s("colour_shape", 0, Height, Width, 3 * ColourBins)], "colour_bins_flat");

        // Gradient orientation: Sobel on intensity, soft bins on the doubled angle, weighted by magnitude.
        var gray = g.Node("Transpose", [intensity], "gray_nchw", Attr.Ints("perm", 0, 3, 1, 2));
        float[] sobel = [-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1];
        var grad = g.Node("Conv", [gray, g.Constant("sobel", sobel, 2, 1, 3, 3)], "sobel_xy",
            Attr.Ints("kernel_shape", 3, 3), Attr.Ints("pads", 1, 1, 1, 1));
        grad = g.Node("Transpose", [grad], "grad_nhwc", Attr.Ints("perm", 0, 2, 3, 1));
        var gx = g.Node("Slice", [grad, g.Int64s("g0", 0), g.Int64s("g1", 1), axis3], "gx");
        var gy = g.Node("Slice", [grad, g.Int64s("g1b", 1), g.Int64s("g2", 2), axis3], "gy");
        var gx2 = g.Node("Mul", [gx, gx]);
        var gy2 = g.Node("Mul", [gy, gy]);
        var m2 = g.Node("Add", [g.Node("Add", [gx2, gy2]), g.Scalar("eps2", Epsilon)], "grad_m2");
        var cos2 = g.Node("Div", [g.Node("Sub", [gx2, gy2]), m2], "cos2");
        var sin2 = g.Node("Div", [g.Node("Mul", [g.Scalar("two", 2f), g.Node("Mul", [gx, gy])]), m2], "sin2");
        var angle = g.Node("Concat", [cos2, sin2], "angle2", Attr.Count("axis", 3));
        var bases = new float[2 * OrientationBins];
        for (var k = 0; k < OrientationBins; k++)
        {
            var phi = 2 * Math.PI * k / OrientationBins;
            bases[k] = (float)Math.Cos(phi);
            bases[OrientationBins + k] = (float)Math.Sin(phi);
        }
        var response = g.Node("Relu", [g.Node("MatMul", [angle, g.Constant("orientation_bases", bases, 2, OrientationBins)])], "orientation_cos");
        response = g.Node("Mul", [g.Node("Mul", [response, response]), g.Node("Sqrt", [m2])], "orientation_bins");

        // Pool per cell.
        var features = g.Node("Concat", [colourBins, response], "pixel_features", Attr.Count("axis", 3));
        var cells = g.Node("Reshape", [features, g.Int64s("cell_shape", 0, Rows, Height / Rows, Columns, Width / Columns, CellFeatures)], "cells");
        var pooled = g.Node("ReduceMean", [cells], "cell_histograms", Attr.Ints("axes", 2, 4), Attr.Count("keepdims", 0));
        var colour = g.Node("Sqrt", [g.Node("Slice", [pooled, g.Int64s("f0", 0), g.Int64s("f1", 3 * ColourBins), g.Int64s("axisf", 3)])], "colour_hellinger");
        var orient = g.Node("Slice", [pooled, g.Int64s("f1b", 3 * ColourBins), g.Int64s("f2", CellFeatures), g.Int64s("axisf2", 3)], "orientation_cells");
        orient = g.Node("Div", [orient, g.Node("Add", [g.Node("ReduceSum", [orient, g.Int64s("axis3b", 3)], "orientation_mass", Attr.Count("keepdims", 1)), g.Scalar("eps3", Epsilon)])], "orientation_share");
        orient = g.Node("Sqrt", [orient], "orientation_hellinger");

        var colourUnit = UnitRows(g, g.Node("Flatten", [colour], "colour_flat", Attr.Count("axis", 1)), "colour_unit");
        var orientUnit = UnitRows(g, g.Node("Flatten", [orient], "orientation_flat", Attr.Count("axis", 1)), "orientation_unit");
        var joined = g.Node("Concat", [
            g.Node("Mul", [colourUnit, g.Scalar("colour_weight", ColourWeight)]),
            g.Node("Mul", [orientUnit, g.Scalar("orientation_weight", MathF.Sqrt(1 - (ColourWeight * ColourWeight)))]),
        ], "joined", Attr.Count("axis", 1));
        g.Output(UnitRows(g, joined, "unit"), "embedding", Dimension);
        return g.Build("MatchService.ModelForge", $"classical colour/orientation descriptor {Rows}x{Columns} cells over {Height}x{Width}");
    }

    private static string UnitRows(OnnxGraphBuilder g, string x, string hint)
    {
        var norm = g.Node("Sqrt", [g.Node("Add", [g.Node("ReduceSum", [g.Node("Mul", [x, x]), g.Int64s(hint + "_axis", 1)], hint + "_sq", Attr.Count("keepdims", 1)), g.Scalar(hint + "_eps", 1e-12f)])], hint + "_norm");
        return g.Node("Div", [x, norm], hint);
    }
}
