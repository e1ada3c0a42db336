using System.Drawing;
using MatchService.Vision;

namespace MatchService.ModelForge.Tests.Support;

/// <summary>
/// face-api's chain rebuilt on the forged ONNX models and the Decoding code: detect, landmarks on the detection crop,
/// eyes-and-mouth square, descriptor. The recognition crops are packed the service's way (<see cref="ServicePacking"/>),
/// so the descriptor comparisons hold for what the server feeds its embedder. The detector and landmark inputs use the
/// reference's legacy bilinear (<see cref="TfImageOps"/>): the service resizes with half-pixel centres, which moves
/// face-api's detector input by up to 32 levels and its landmarks by up to 6.6 px, so those tests check the converted
/// graphs against face-api on face-api's own input.
/// </summary>
internal static class FacePipeline
{
    public static (float[][] Boxes, float[][] Scores) RunDetector(ForgedModels models, IReadOnlyList<RgbImage> images)
    {
        // The golden file holds face-api's SSD outputs at 512.
        var net = models.Model("alternatives/" + DefaultModels.SsdDetectorName);
        var inputs = images.Select(image => TfImageOps.Normalise(
            TfImageOps.PadAndResize(image.ToFloats(), image.Width, image.Height, SquareWindow.For(image.Width, image.Height, SquarePadding.BottomRight), 512),
            net.Config.Input.Mean!, net.Config.Input.Std!)).ToList();
        var outputs = net.RunImages(inputs);
        var (boxes, boxShape) = outputs["boxes"];
        var (scores, scoreShape) = outputs["scores"];
        if (boxShape[0] != images.Count || scoreShape[0] != images.Count)
        {
            throw new InvalidOperationException("detector batch size mismatch");
        }
        var n = (int)scoreShape[1];
        return (
            Enumerable.Range(0, images.Count).Select(i => boxes.AsSpan(i * n * 4, n * 4).ToArray()).ToArray(),
            Enumerable.Range(0, images.Count).Select(i => scores.AsSpan(i * n, n).ToArray()).ToArray());
    }

    public static IReadOnlyList<IReadOnlyList<FaceDetection>> Detect(ForgedModels models, IReadOnlyList<RgbImage> images, float minConfidence = 0.5f)
    {
        var (boxes, scores) = RunDetector(models, images);
        return images.Select((image, i) => SsdBoxDecoder.Decode(boxes[i], scores[i], image.Width, image.Height,
            new SsdDecodingOptions { MinConfidence = minConfidence })).ToList();
    }

    /// <summary>Landmarks for each detection of one image (crop = detection clipped and floored; shift = the box corner).</summary>
    public static IReadOnlyList<FaceLandmarks68> Landmarks(ForgedModels models, RgbImage image, IReadOnlyList<RectangleF> boxes)
    {
        if (boxes.Count == 0)
        {
            return [];
        }
        var net = models.Model("face_landmarks");
        var crops = boxes.Select(b => FaceCrop.ClipAtImageBorders(b, image.Width, image.Height)).ToList();
        var size = net.Config.Input.Width;
        var inputs = crops.Select(r =>
        {
            var crop = image.Crop(r);
            return TfImageOps.Normalise(TfImageOps.PadAndResize(crop.ToFloats(), crop.Width, crop.Height,
                SquareWindow.For(crop.Width, crop.Height, SquarePadding.Centered), size), net.Config.Input.Mean!, net.Config.Input.Std!);
        }).ToList();
        var (values, _) = net.RunImages(inputs)["landmarks"];
        return crops.Select((r, i) => FaceLandmarks68.Decode(values.AsSpan(i * 136, 136), r.Width, r.Height,
            new PointF(boxes[i].X, boxes[i].Y), size)).ToList();
    }

    /// <summary>Descriptors of aligned crops (clipped, padded to a centred square, 150x150).</summary>
    public static float[][] Descriptors(ForgedModels models, RgbImage image, IReadOnlyList<Rectangle> alignedCrops)
    {
        if (alignedCrops.Count == 0)
        {
            return [];
        }
        var net = models.Model("alternatives/face_recognition_float");
        var inputs = alignedCrops.Select(r => ServicePacking.CentredSquare(net, image, FaceCrop.ClipAtImageBorders(r, image.Width, image.Height))).ToList();
        var (values, _) = net.RunImages(inputs)["embedding"];
        return alignedCrops.Select((_, i) => values.AsSpan(i * 128, 128).ToArray()).ToArray();
    }

    /// <summary>The whole chain on one image: every face with its descriptor.</summary>
    public static IReadOnlyList<(FaceDetection Face, float[] Descriptor)> DescribeFaces(ForgedModels models, RgbImage image, float minConfidence = 0.5f)
    {
        var faces = Detect(models, [image], minConfidence)[0];
        var landmarks = Landmarks(models, image, faces.Select(f => f.Box).ToList());
        var descriptors = Descriptors(models, image, landmarks.Select(FaceCrop.EyesMouthSquare).ToList());
        return faces.Select((f, i) => (f, descriptors[i])).ToList();
    }
}
