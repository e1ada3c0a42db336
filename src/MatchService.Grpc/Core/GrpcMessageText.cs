using System.Text;

namespace MatchService.Grpc;

/// <summary>
/// The percent-encoding of <c>grpc-message</c>: UTF-8 bytes outside 0x20-0x7E, and '%' itself, are written as %XX.
/// Decoding is lenient as the specification asks: an invalid escape is kept as it is.
/// </summary>
public static class GrpcMessageText
{
    /// <summary>Encodes a status message for the <c>grpc-message</c> trailer.</summary>
    public static string Encode(string message)
    {
        var needs = false;
        foreach (var c in message)
        {
            if (c < 0x20 || c > 0x7E || c == '%')
            {
                needs = true;
                break;
            }
        }
        if (!needs)
        {
            return message;
        }
        var bytes = Encoding.UTF8.GetBytes(message);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b < 0x20 || b > 0x7E || b == (byte)'%')
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }
        return sb.ToString();
    }

    /// <summary>Decodes a <c>grpc-message</c> value.</summary>
    public static string Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return "";
        }
        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded;
        }
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');
}
