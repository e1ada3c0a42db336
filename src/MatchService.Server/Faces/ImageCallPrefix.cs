using System.Buffers;
using MatchService.Contracts.V1;

namespace MatchService.Server.Faces;

/// <summary>
/// Whether a face call's first request message carries an image, read from its first bytes alone (the gRPC message
/// prefix and the first protobuf tags), so that the face chain's door can answer before the rest of the message —
/// hundreds of kilobytes of photo — has arrived.
/// </summary>
/// <remarks>
/// Protobuf writers put fields in field-number order, so an image side comes first: CompareWithConfidence's
/// <c>first</c> (or <c>second</c> when there is no first) holding <c>image</c>, Verify's first <c>images</c> entry
/// holding <c>image</c>. Anything else — a precomputed side first, a compressed message, an unusual field order — reads
/// as "not known to carry an image", and the call goes on to its handler, which decides with the whole message.
/// </remarks>
internal static class ImageCallPrefix
{
    /// <summary>
    /// The bytes <see cref="ImagesShown(string, ReadOnlySpan{byte})"/> needs at most: the 5-byte message prefix, then two
    /// tags and their lengths.
    /// </summary>
    public const int Length = 5 + ((1 + 5) * 2);

    /// <summary>CompareWithConfidence's request path.</summary>
    public static readonly string ComparePath = $"/{Contracts.V1.MatchService.Descriptor.FullName}/CompareWithConfidence";

    /// <summary>Verify's request path.</summary>
    public static readonly string VerifyPath = $"/{Contracts.V1.MatchService.Descriptor.FullName}/Verify";

    /// <summary>
    /// The images the request body that starts with <paramref name="body"/> (its first bytes suffice) is known to carry:
    /// CompareWithConfidence 2 when its first side is an image (1 when it has only a second side, an image), Verify 1
    /// when its first entry is an image; otherwise 0 (not known).
    /// </summary>
    /// <remarks>A comparison whose first side is an image is counted with two: its other side almost always is one too
    /// (one whose second side is precomputed holds one place more than it needs until it ends).</remarks>
    public static int ImagesShown(string path, ReadOnlySequence<byte> body)
    {
        Span<byte> start = stackalloc byte[Length];
        var n = (int)Math.Min(body.Length, Length);
        body.Slice(0, n).CopyTo(start);
        return ImagesShown(path, start[..n]);
    }

    /// <inheritdoc cref="ImagesShown(string, ReadOnlySequence{byte})"/>
    public static int ImagesShown(string path, ReadOnlySpan<byte> body)
    {
        // The gRPC message prefix: compressed flag 0 (a compressed message cannot be read in pieces), then the length.
        if (body.Length < 5 || body[0] != 0)
        {
            return 0;
        }

        var message = body[5..];
        if (path == ComparePath)
        {
            return Field(message, CompareRequest.FirstFieldNumber, out var first) ? (IsImage(first, CompareInput.ImageFieldNumber) ? 2 : 0)
                : Field(message, CompareRequest.SecondFieldNumber, out var second) && IsImage(second, CompareInput.ImageFieldNumber) ? 1 : 0;
        }

        return path == VerifyPath && Field(message, VerifyRequest.ImagesFieldNumber, out var entry) && IsImage(entry, VerifyImage.ImageFieldNumber) ? 1 : 0;
    }

    /// <summary>Whether <paramref name="bytes"/> start with a non-empty image message as field <paramref name="number"/>.</summary>
    private static bool IsImage(ReadOnlySpan<byte> bytes, int number) => Field(bytes, number, out _, out var length) && length > 0;

    /// <inheritdoc cref="Field(ReadOnlySpan{byte}, int, out ReadOnlySpan{byte}, out ulong)"/>
    private static bool Field(ReadOnlySpan<byte> bytes, int number, out ReadOnlySpan<byte> content) => Field(bytes, number, out content, out _);

    /// <summary>
    /// Whether <paramref name="bytes"/> start with length-delimited field <paramref name="number"/> (tag and whole length
    /// seen); <paramref name="content"/> is as much of its content as <paramref name="bytes"/> hold.
    /// </summary>
    private static bool Field(ReadOnlySpan<byte> bytes, int number, out ReadOnlySpan<byte> content, out ulong length)
    {
        content = default;
        length = 0;
        if (bytes.Length < 2 || bytes[0] != (byte)((number << 3) | 2))
        {
            return false;
        }

        for (var i = 1; i < bytes.Length && i <= 5; i++)
        {
            length |= (ulong)(bytes[i] & 0x7F) << (7 * (i - 1));
            if ((bytes[i] & 0x80) == 0)
            {
                content = bytes[(i + 1)..];
                if ((ulong)content.Length > length)
                {
                    content = content[..(int)length];
                }

                return true;
            }
        }

        return false;
    }
}
