using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Tensors;

public sealed class TensorPackerTests
{
    // 3 × 2 image; pixel (x, y) = (10x + y, 100 + 10x + y, 200 + 10x + y).
    private static RgbImage Small() => TestImages.Make(3, 2, (x, y, c) => (100 * c) + (10 * x) + y);

    private static float Pixel(int x, int y, int colour) => (100 * colour) + (10 * x) + y;

    [Fact]
    public void Nchw_rgb_normalised_element_by_element()
    {
        using var image = Small();
        var spec = new TensorSpec { Width = 3, Height = 2, Mean = new(1, 2, 3), Std = new(2, 4, 8) };
        var slot = new float[spec.ElementCount];
        TensorPacker.Pack(image, spec, slot);
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 2; y++)
            {
                for (int x = 0; x < 3; x++)
                {
                    float expected = (Pixel(x, y, c) - spec.Mean[c]) / spec.Std[c];
                    Assert.Equal(expected, slot[(c * 6) + (y * 3) + x], 5);
                }
            }
        }
    }

    [Fact]
    public void Nhwc_bgr_normalised_element_by_element()
    {
        using var image = Small();
        var spec = new TensorSpec
        {
            Width = 3,
            Height = 2,
            Layout = TensorLayout.Nhwc,
            ChannelOrder = ChannelOrder.Bgr,
            Mean = ChannelValues.All(127.5f),
            Std = ChannelValues.All(127.5f),
        };
        var slot = new float[spec.ElementCount];
        TensorPacker.Pack(image, spec, slot);
        for (int y = 0; y < 2; y++)
        {
            for (int x = 0; x < 3; x++)
            {
                for (int position = 0; position < 3; position++)
                {
                    int colour = 2 - position; // B, G, R
                    Assert.Equal((Pixel(x, y, colour) - 127.5f) / 127.5f, slot[(((y * 3) + x) * 3) + position], 5);
                }
            }
        }
    }

    [Fact]
    public void Mean_and_std_follow_the_colour_not_the_position()
    {
        using var image = TestImages.Make(1, 1, (_, _, c) => c == 0 ? 200 : 0); // pure red
        var spec = new TensorSpec { Width = 1, Height = 1, ChannelOrder = ChannelOrder.Bgr, Mean = new(100, 0, 0), Std = new(50, 1, 1) };
        var slot = new float[3];
        TensorPacker.Pack(image, spec, slot);
        Assert.Equal([0f, 0f, 2f], slot); // B, G, then R = (200 − 100) / 50
    }

    [Fact]
    public void Uint8_nchw_is_raw_planes()
    {
        using var image = Small();
        var spec = new TensorSpec { Width = 3, Height = 2, ElementType = TensorElementType.UInt8 };
        var slot = new byte[spec.ElementCount];
        TensorPacker.Pack(image, spec, slot);
        Assert.Equal([0, 10, 20, 1, 11, 21, 100, 110, 120, 101, 111, 121, 200, 210, 220, 201, 211, 221], slot);
    }

    [Fact]
    public void Region_outside_the_image_packs_normalised_black()
    {
        using var image = Small();
        var spec = new TensorSpec { Width = 2, Height = 1, Layout = TensorLayout.Nhwc, Mean = ChannelValues.All(10), Std = ChannelValues.All(2) };
        var slot = new float[6];
        TensorPacker.Pack(image, new PixelBox(2, 1, 2, 1), BorderMode.Constant, spec, slot);
        Assert.Equal([(21 - 10) / 2f, (121 - 10) / 2f, (221 - 10) / 2f, -5f, -5f, -5f], slot);
    }

    [Fact]
    public void Wrong_slot_size_or_type_is_refused()
    {
        using var image = Small();
        var spec = new TensorSpec { Width = 3, Height = 2 };
        Assert.Throws<ArgumentException>(() => TensorPacker.Pack(image, spec, new float[17]));
        Assert.Throws<ArgumentException>(() => TensorPacker.Pack(image, spec, new byte[18]));
        Assert.Throws<ArgumentException>(() => TensorPacker.Pack(image, spec with { Std = new(1, 0, 1) }, new float[18]));
    }

    [Theory]
    [InlineData(TensorLayout.Nchw, ChannelOrder.Rgb, ResizeKind.Bilinear)]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Rgb, ResizeKind.Area)]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Bgr, ResizeKind.Bilinear)]
    [InlineData(TensorLayout.Nchw, ChannelOrder.Bgr, ResizeKind.Area)]
    public void Vectorised_path_equals_scalar_path(TensorLayout layout, ChannelOrder order, ResizeKind kind)
    {
        using var image = TestImages.Random(301, 203, seed: 11);
        var spec = new TensorSpec
        {
            Width = 67,
            Height = 45,
            Layout = layout,
            ChannelOrder = order,
            Resize = kind,
            Mean = new(123.675f, 116.28f, 103.53f),
            Std = new(58.395f, 57.12f, 57.375f),
        };
        var vector = new float[spec.ElementCount];
        var scalar = new float[spec.ElementCount];
        var box = new PixelBox(-20, 10, 250, 220);
        TensorPacker.Pack(image, box, BorderMode.Constant, spec, vector, vectorize: true);
        TensorPacker.Pack(image, box, BorderMode.Constant, spec, scalar, vectorize: false);
        Assert.Equal(scalar, vector); // bit for bit
    }

    [Fact]
    public void Packed_tensor_matches_resize_then_normalise()
    {
        using var image = TestImages.Random(90, 70, seed: 4);
        var spec = new TensorSpec { Width = 40, Height = 30, Layout = TensorLayout.Nchw, Mean = ChannelValues.All(127.5f), Std = ChannelValues.All(127.5f) };
        var slot = new float[spec.ElementCount];
        TensorPacker.Pack(image, spec, slot);
        using var resized = ImageResampler.Resize(image, 40, 30, ResizeKind.Bilinear);
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 30; y++)
            {
                for (int x = 0; x < 40; x++)
                {
                    // The tensor keeps float precision; the 8-bit image is rounded: at most half a level apart.
                    float expected = (TestImages.At(resized, x, y, c) - 127.5f) / 127.5f;
                    Assert.Equal(expected, slot[(c * 1200) + (y * 40) + x], 0.5f / 127.5f + 1e-5f);
                }
            }
        }
    }

    [Fact]
    public void Detector_input_is_pad_bottom_right_then_half_pixel_bilinear_in_float()
    {
        // The face detectors' contract: the image padded black at the bottom/right to a square, bilinear to s x s.
        using var image = TestImages.Random(37, 23, seed: 8);
        const int size = 16;
        var spec = new TensorSpec { Width = size, Height = size, Layout = TensorLayout.Nhwc, Resize = ResizeKind.Bilinear };
        var slot = new float[spec.ElementCount];
        TensorPacker.Pack(image, new PixelBox(0, 0, 37, 37), BorderMode.Constant, spec, slot); // padded at the bottom to 37 × 37

        // Reference, written out: zero-padded 37 × 37 float image, half-pixel bilinear sampling clamped to the edge.
        double Padded(int x, int y, int c) => y < 23 ? TestImages.At(image, x, y, c) : 0;
        double scale = 37.0 / size;
        for (int y = 0; y < size; y++)
        {
            double fy = Math.Clamp(((y + 0.5) * scale) - 0.5, 0, 36);
            int y0 = (int)Math.Floor(fy), y1 = Math.Min((int)Math.Ceiling(fy), 36);
            for (int x = 0; x < size; x++)
            {
                double fx = Math.Clamp(((x + 0.5) * scale) - 0.5, 0, 36);
                int x0 = (int)Math.Floor(fx), x1 = Math.Min((int)Math.Ceiling(fx), 36);
                for (int c = 0; c < 3; c++)
                {
                    double top = Padded(x0, y0, c) + ((Padded(x1, y0, c) - Padded(x0, y0, c)) * (fx - x0));
                    double bottom = Padded(x0, y1, c) + ((Padded(x1, y1, c) - Padded(x0, y1, c)) * (fx - x0));
                    double expected = top + ((bottom - top) * (fy - y0));
                    Assert.Equal(expected, slot[(((y * size) + x) * 3) + c], 3);
                }
            }
        }
    }

    [Fact]
    public void Packing_into_one_slot_of_a_batch_leaves_the_other_slots_alone()
    {
        using var image = TestImages.Make(4, 4, (_, _, c) => 50 * (c + 1));
        var spec = new TensorSpec { Width = 4, Height = 4 };
        var batch = new float[spec.ElementCount * 3];
        batch.AsSpan().Fill(-1);
        Span<float> Slot(int i) => batch.AsSpan(i * spec.ElementCount, spec.ElementCount);
        TensorPacker.Pack(image, spec, Slot(1));
        Assert.All(Slot(0).ToArray(), v => Assert.Equal(-1, v));
        Assert.All(Slot(2).ToArray(), v => Assert.Equal(-1, v));
        Assert.Equal(50, Slot(1)[0]);
        Assert.Equal(150, Slot(1)[47]);
    }
}
