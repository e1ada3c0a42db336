using MatchService.Imaging.Geometry;

namespace MatchService.Server.Faces;

/// <summary>
/// The test-time view set of one aligned face (seed 002 without a confidence output): the crop window itself, shifted
/// by a fraction of its side in four directions, rescaled about its centre, and (separately, from a flipped copy) mirrored.
/// </summary>
internal static class FaceViews
{
    /// <summary>The unmirrored view windows in image pixels; the first is the crop window itself.</summary>
    public static IReadOnlyList<PixelBox> Windows(PixelBox window, double shiftFraction, IEnumerable<double> scales)
    {
        ArgumentNullException.ThrowIfNull(scales);
        var views = new List<PixelBox> { window };
        var shift = (int)Math.Round(shiftFraction * window.Width);
        if (shift > 0)
        {
            views.Add(window with { X = window.X - shift });
            views.Add(window with { X = window.X + shift });
            views.Add(window with { Y = window.Y - shift });
            views.Add(window with { Y = window.Y + shift });
        }

        foreach (var scale in scales)
        {
            var side = Math.Max(1, (int)Math.Round(window.Width * scale));
            var offset = (window.Width - side) / 2;
            views.Add(new PixelBox(window.X + offset, window.Y + offset, side, side));
        }

        return views;
    }
}
