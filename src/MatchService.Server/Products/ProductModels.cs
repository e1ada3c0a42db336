using Grpc.Core;
using MatchService.Inference.Configuration;
using MatchService.Inference.Engine;
using MatchService.Server.Persons;

namespace MatchService.Server.Products;

/// <summary>The models RankCandidates uses: the product embedder (required), the intent classifier and garment detector (optional: rule / whole image).</summary>
/// <param name="Embedder">product_embedder.</param>
/// <param name="Intent">intent_classifier, or null.</param>
/// <param name="Garments">garment_detector, or null.</param>
/// <param name="Persons">person_detector (apparel regions from its keypoints when there is no garment detector), or null.</param>
internal sealed record ProductModels(ModelRunner Embedder, ModelRunner? Intent, ModelRunner? Garments, ModelRunner? Persons = null)
{
    /// <summary>The product embedding's dimension (the config's <c>dim</c>; 0 when the config does not state it).</summary>
    public int Dimension => Embedder.Config.OutputFor(OutputMeaning.Embedding)?.Dim ?? Embedder.Config.Outputs[0].Dim ?? 0;

    /// <summary>Resolves the roles; FAILED_PRECONDITION when no product embedder is configured.</summary>
    public static ProductModels From(InferenceEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var embedder = engine.TryGetByRole(ModelRole.ProductEmbedder) ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"no model with role {PersonModels.RoleName(ModelRole.ProductEmbedder)} is configured; add one to the model repository (scripts/forge-models.sh writes the default)"));
        return new ProductModels(embedder, engine.TryGetByRole(ModelRole.IntentClassifier), engine.TryGetByRole(ModelRole.GarmentDetector),
            engine.TryGetByRole(ModelRole.PersonDetector));
    }
}
