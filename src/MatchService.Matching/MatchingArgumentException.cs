namespace MatchService.Matching;

/// <summary>
/// Bad input to one of the methods. <see cref="Field"/> names the offending input (for example
/// <c>first.confidence[17]</c>) so that the server can map it to INVALID_ARGUMENT with a message a person can act on.
/// </summary>
public sealed class MatchingArgumentException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="field"/>; <paramref name="message"/> says what is wrong with it.</summary>
    public MatchingArgumentException(string field, string message)
        : base($"{field}: {message}", field)
    {
        Field = field;
        Reason = message;
    }

    /// <summary>The input that was wrong, as a path such as <c>embeddings[2]</c>.</summary>
    public string Field { get; }

    /// <summary>
    /// What is wrong with <see cref="Field"/>, without the field's name (e.g. <c>is 2; expected a value in (0, 1)</c>):
    /// <see cref="Exception.Message"/> already names the field, so a caller that puts the field in front uses this.
    /// </summary>
    public string Reason { get; }
}
