namespace MatchService.Grpc;

/// <summary>The names the gRPC spec gives status codes (<c>DEADLINE_EXCEEDED</c>), for logs and metric labels.</summary>
public static class StatusCodeNames
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>The spec's name of <paramref name="code"/>, or its number for codes outside the spec.</summary>
    public static string ToSpecName(this StatusCode code) =>
        (uint)code < (uint)Names.Length ? Names[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
