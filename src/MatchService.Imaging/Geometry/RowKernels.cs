using System.Numerics;
using System.Runtime.InteropServices;

namespace MatchService.Imaging.Geometry;

/// <summary>
/// The per-row arithmetic of resampling and packing, in a System.Numerics.Vector form and a scalar form
/// that must give the same results (the vector form is used when the hardware accelerates it).
/// </summary>
internal static class RowKernels
{
    /// <summary>acc = w · src (first tap) or acc += w · src.</summary>
    public static void Accumulate(ReadOnlySpan<float> src, float w, Span<float> acc, bool first, bool vectorize)
    {
        int i = 0;
        if (vectorize && Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(src);
            var va = MemoryMarshal.Cast<float, Vector<float>>(acc[..src.Length]);
            var vw = new Vector<float>(w);
            if (first)
            {
                for (int k = 0; k < vs.Length; k++)
                {
                    va[k] = vs[k] * vw;
                }
            }
            else
            {
                for (int k = 0; k < vs.Length; k++)
                {
                    va[k] += vs[k] * vw;
                }
            }

            i = vs.Length * Vector<float>.Count;
        }

        for (; i < src.Length; i++)
        {
            acc[i] = first ? src[i] * w : acc[i] + (src[i] * w);
        }
    }

    /// <summary>dst = src · scale + bias with one scale and bias (a channel plane).</summary>
    public static void Affine(ReadOnlySpan<float> src, Span<float> dst, float scale, float bias, bool vectorize)
    {
        int i = 0;
        if (vectorize && Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(src);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst[..src.Length]);
            var vscale = new Vector<float>(scale);
            var vbias = new Vector<float>(bias);
            for (int k = 0; k < vs.Length; k++)
            {
                vd[k] = (vs[k] * vscale) + vbias;
            }

            i = vs.Length * Vector<float>.Count;
        }

        for (; i < src.Length; i++)
        {
            dst[i] = (src[i] * scale) + bias;
        }
    }

    /// <summary>
    /// dst = src · scale[c] + bias[c] on interleaved 3-channel data. Three vectors hold the channel pattern
    /// (3 × Vector&lt;float&gt;.Count floats is a whole number of pixels), so no per-element channel lookup.
    /// </summary>
    public static void Affine3(ReadOnlySpan<float> src, Span<float> dst, ReadOnlySpan<float> scale3, ReadOnlySpan<float> bias3, bool vectorize)
    {
        int i = 0;
        int w = Vector<float>.Count;
        if (vectorize && Vector.IsHardwareAccelerated && src.Length >= 3 * w)
        {
            Span<float> pattern = stackalloc float[6 * w];
            for (int k = 0; k < 3 * w; k++)
            {
                pattern[k] = scale3[k % 3];
                pattern[(3 * w) + k] = bias3[k % 3];
            }

            var s0 = new Vector<float>(pattern[..w]);
            var s1 = new Vector<float>(pattern[w..]);
            var s2 = new Vector<float>(pattern[(2 * w)..]);
            var b0 = new Vector<float>(pattern[(3 * w)..]);
            var b1 = new Vector<float>(pattern[(4 * w)..]);
            var b2 = new Vector<float>(pattern[(5 * w)..]);
            int blocks = src.Length / (3 * w);
            var vs = MemoryMarshal.Cast<float, Vector<float>>(src[..(blocks * 3 * w)]);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst[..(blocks * 3 * w)]);
            for (int k = 0; k < vs.Length; k += 3)
            {
                vd[k] = (vs[k] * s0) + b0;
                vd[k + 1] = (vs[k + 1] * s1) + b1;
                vd[k + 2] = (vs[k + 2] * s2) + b2;
            }

            i = blocks * 3 * w;
        }

        for (; i < src.Length; i++)
        {
            dst[i] = (src[i] * scale3[i % 3]) + bias3[i % 3];
        }
    }

    /// <summary>Rounds to the nearest integer and saturates to 0…255.</summary>
    public static void ToBytes(ReadOnlySpan<float> src, Span<byte> dst)
    {
        for (int i = 0; i < src.Length; i++)
        {
            float v = src[i] + 0.5f;
            dst[i] = v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(int)v;
        }
    }
}
