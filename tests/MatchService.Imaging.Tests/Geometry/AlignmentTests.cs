using System.Numerics;
using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Geometry;

public sealed class AlignmentTests
{
    [Fact]
    public void Estimate_recovers_a_known_similarity()
    {
        var truth = SimilarityTransform.From(scale: 1.7, angle: 0.35, tx: -12.5, ty: 40.25);
        var from = new Vector2[] { new(10, 20), new(50, 22), new(31, 45), new(18, 70), new(44, 68) };
        var to = from.Select(truth.Apply).ToArray();
        var fit = SimilarityTransform.Estimate(from, to);
        Assert.Equal(truth.A, fit.A, 4);
        Assert.Equal(truth.B, fit.B, 4);
        Assert.Equal(truth.Tx, fit.Tx, 3);
        Assert.Equal(truth.Ty, fit.Ty, 3);
        Assert.Equal(1.7, fit.Scale, 4);
        Assert.Equal(0.35, fit.Angle, 4);
    }

    [Fact]
    public void Estimate_is_least_squares_under_noise()
    {
        var truth = SimilarityTransform.From(0.8, -0.2, 5, 7);
        var random = new Random(3);
        var from = Enumerable.Range(0, 200).Select(_ => new Vector2(random.Next(200), random.Next(200))).ToArray();
        var to = from.Select(p => truth.Apply(p) + new Vector2((float)(random.NextDouble() - 0.5), (float)(random.NextDouble() - 0.5))).ToArray();
        var fit = SimilarityTransform.Estimate(from, to);
        Assert.Equal(0.8, fit.Scale, 2);
        Assert.Equal(-0.2, fit.Angle, 2);
    }

    [Fact]
    public void Inverse_undoes_the_transform()
    {
        var t = SimilarityTransform.From(2.5, 1.1, 3, -4);
        var p = new Vector2(17, -3);
        var back = t.Inverse().Apply(t.Apply(p));
        Assert.Equal(p.X, back.X, 3);
        Assert.Equal(p.Y, back.Y, 3);
    }

    [Fact]
    public void Five_points_from_68_use_eye_means_nose_tip_and_mouth_corners()
    {
        var landmarks = Enumerable.Range(0, 68).Select(i => new Vector2(i, 2 * i)).ToArray();
        var five = FaceAlignment.FivePointsFrom68(landmarks);
        Assert.Equal(new Vector2(38.5f, 77), five[0]);
        Assert.Equal(new Vector2(44.5f, 89), five[1]);
        Assert.Equal(new Vector2(30, 60), five[2]);
        Assert.Equal(new Vector2(48, 96), five[3]);
        Assert.Equal(new Vector2(54, 108), five[4]);
    }

    [Fact]
    public void Align_undoes_a_rotated_scaled_shifted_face()
    {
        // A 112 × 112 "face" with a smooth pattern; place it in a larger image by a known similarity,
        // move the template points the same way, then align back and compare.
        var template = FaceTemplate.ArcFace112;
        using var face = TestImages.Make(112, 112, (x, y, c) => c switch
        {
            0 => (int)(127 + (120 * Math.Sin(x / 9.0))),
            1 => (int)(127 + (120 * Math.Cos(y / 7.0))),
            _ => (x + y) % 256 / 2,
        });
        var placement = SimilarityTransform.From(scale: 1.6, angle: 0.5, tx: 90, ty: 30);
        using var scene = AffineWarp.Warp(face, placement, 300, 260);
        var landmarks = template.Points.ToArray().Select(placement.Apply).ToArray();

        var fit = FaceAlignment.Estimate(landmarks, template);
        var expected = placement.Inverse();
        Assert.Equal(expected.A, fit.A, 4);
        Assert.Equal(expected.B, fit.B, 4);

        using var aligned = FaceAlignment.Align(scene, landmarks, template);
        Assert.Equal(112, aligned.Width);
        // Compare away from the borders (interpolated twice there, padding at the very edge).
        var a = new List<byte>();
        var b = new List<byte>();
        for (int y = 8; y < 104; y++)
        {
            for (int x = 8; x < 104; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    a.Add(TestImages.At(face, x, y, c));
                    b.Add(TestImages.At(aligned, x, y, c));
                }
            }
        }

        PixelAssert.Close(a.ToArray(), b.ToArray(), maxAbsDiff: 40, maxMeanAbsDiff: 3);
    }
}
