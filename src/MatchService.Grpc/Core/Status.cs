namespace MatchService.Grpc;

/// <summary>The outcome of a call: a code and a message a person can act on.</summary>
public readonly record struct Status(StatusCode StatusCode, string Detail)
{
    /// <summary>The successful status.</summary>
    public static readonly Status DefaultSuccess = new(StatusCode.OK, "");

    /// <inheritdoc />
    public override string ToString() => $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\")";
}
