namespace MatchService.Contracts;

/// <summary>
/// The <c>match-inputs</c> request header: what a call carries, when it carries no images. A server that decides face
/// calls when their headers arrive (<c>Faces:AdmitAtHeaders</c>, on by default) cannot tell a CompareWithConfidence of
/// precomputed vectors from one of photos there; <c>match-inputs: vectors</c> tells it, so the call, which needs no
/// model, is looked at when its first bytes arrive instead and is never refused for load. A call so marked whose first
/// bytes show an image is decided as one then: the header cannot let photos past the door.
/// </summary>
public static class CallInputs
{
    /// <summary>The header name.</summary>
    public const string Header = "match-inputs";

    /// <summary>The value for a call that carries precomputed vectors only.</summary>
    public const string Vectors = "vectors";
}
