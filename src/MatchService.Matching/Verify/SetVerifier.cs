using MatchService.Matching.Vectors;

namespace MatchService.Matching.Verify;

/// <summary>
/// Seed 000: decides whether N ≥ 2 face embeddings show one person. The N(N − 1)/2 pairwise similarities are fused
/// by a weighted sum; the fused score is placed in the data model (k-NN over calibration scores) or, without one,
/// compared with the configured threshold.
/// </summary>
public sealed class SetVerifier
{
    private readonly IPairSimilarity _similarity;
    private readonly VerifyDataModel? _dataModel;

    /// <summary>Creates the verifier; <paramref name="dataModel"/> null means the fallback threshold decides.</summary>
    public SetVerifier(VerifyOptions options, IPairSimilarity similarity, VerifyDataModel? dataModel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(similarity);
        Options = options.Validated();
        _similarity = similarity;
        _dataModel = dataModel;
    }

    /// <summary>The options every result reports.</summary>
    public VerifyOptions Options { get; }

    /// <summary>Verifies a set; <paramref name="qualities"/> are the images' q (ignored for uniform weighting but still reported).</summary>
    public VerifyResult Verify(IReadOnlyList<float[]> embeddings, IReadOnlyList<double> qualities)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(qualities);
        if (embeddings.Count < 2)
        {
            throw new MatchingArgumentException("images", $"has {embeddings.Count} usable image(s); Verify needs at least 2 images of the person, send more");
        }

        if (embeddings.Count > Options.MaxImages)
        {
            throw new MatchingArgumentException("images", $"has {embeddings.Count} images; at most {Options.MaxImages} are accepted per set");
        }

        if (qualities.Count != embeddings.Count)
        {
            throw new MatchingArgumentException("qualities", $"has {qualities.Count} entries for {embeddings.Count} images");
        }

        for (var i = 0; i < embeddings.Count; i++)
        {
            VectorChecks.RequireFinite(embeddings[i], $"images[{i}].embedding");
            VectorChecks.RequireSameLength(embeddings[0].Length, embeddings[i].Length, $"images[{i}].embedding");
            if (!(qualities[i] >= 0) || !double.IsFinite(qualities[i]))
            {
                throw new MatchingArgumentException($"images[{i}].quality", $"is {qualities[i]}; expected a finite value ≥ 0");
            }
        }

        var fusion = PairwiseFusion.Fuse(embeddings, qualities, Options.Weighting, _similarity);
        if (_dataModel is null)
        {
            var verdict = fusion.Fused >= Options.FallbackThreshold ? SetVerdict.Same : SetVerdict.Different;
            return new VerifyResult(verdict, DecisionSource.Threshold, fusion, qualities.ToArray(), null, Options.FallbackThreshold, Options);
        }

        var position = _dataModel.Locate(fusion.Fused, Options.K);
        return new VerifyResult(position.Verdict, DecisionSource.DataModel, fusion, qualities.ToArray(), position, null, Options);
    }
}
