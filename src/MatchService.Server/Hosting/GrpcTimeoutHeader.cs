namespace MatchService.Server.Hosting;

/// <summary>
/// The <c>grpc-timeout</c> request header (gRPC over HTTP/2: 1 to 8 digits and a unit, H M S m u n), read where
/// grpc-dotnet's own parse is not reachable: in a middleware, before the call reaches its service.
/// </summary>
internal static class GrpcTimeoutHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "grpc-timeout";

    /// <summary>The timeout the header gives, or null when it is absent or malformed (then grpc-dotnet decides).</summary>
    public static TimeSpan? Parse(string? value)
    {
        if (value is not { Length: >= 2 and <= 9 })
        {
            return null;
        }

        long amount = 0;
        foreach (var digit in value.AsSpan(0, value.Length - 1))
        {
            if (digit is < '0' or > '9')
            {
                return null;
            }

            amount = (amount * 10) + (digit - '0');
        }

        return value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
    }
}
