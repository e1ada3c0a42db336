namespace MatchService.Imaging.Geometry;

/// <summary>Writes interleaved rows into an <see cref="RgbImage"/>, rounding and saturating.</summary>
internal readonly struct ByteImageSink(RgbImage target) : IRowSink
{
    public void Write(int y, int plane, ReadOnlySpan<float> row) => RowKernels.ToBytes(row, target.Row(y));
}
