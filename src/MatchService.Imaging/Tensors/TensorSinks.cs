using MatchService.Imaging.Geometry;

namespace MatchService.Imaging.Tensors;

/// <summary>Normalises finished rows straight into a float tensor slot.</summary>
internal ref struct FloatTensorSink : IRowSink
{
    private readonly Span<float> _slot;
    private readonly int _width;
    private readonly int _height;
    private readonly bool _vectorize;
    private readonly ReadOnlySpan<float> _scale; // per tensor channel position
    private readonly ReadOnlySpan<float> _bias;

    public FloatTensorSink(Span<float> slot, int width, int height, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, bool vectorize)
    {
        _slot = slot;
        _width = width;
        _height = height;
        _scale = scale;
        _bias = bias;
        _vectorize = vectorize;
    }

    public readonly void Write(int y, int plane, ReadOnlySpan<float> row)
    {
        if (plane < 0)
        {
            RowKernels.Affine3(row, _slot.Slice(y * _width * 3, _width * 3), _scale, _bias, _vectorize);
        }
        else
        {
            RowKernels.Affine(row, _slot.Slice((plane * _width * _height) + (y * _width), _width), _scale[plane], _bias[plane], _vectorize);
        }
    }
}

/// <summary>Rounds finished rows into a uint8 tensor slot.</summary>
internal ref struct ByteTensorSink : IRowSink
{
    private readonly Span<byte> _slot;
    private readonly int _width;
    private readonly int _height;

    public ByteTensorSink(Span<byte> slot, int width, int height)
    {
        _slot = slot;
        _width = width;
        _height = height;
    }

    public readonly void Write(int y, int plane, ReadOnlySpan<float> row)
    {
        var target = plane < 0
            ? _slot.Slice(y * _width * 3, _width * 3)
            : _slot.Slice((plane * _width * _height) + (y * _width), _width);
        RowKernels.ToBytes(row, target);
    }
}
