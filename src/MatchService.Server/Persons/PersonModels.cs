using Grpc.Core;
using MatchService.Inference.Configuration;
using MatchService.Inference.Engine;

namespace MatchService.Server.Persons;

/// <summary>
/// The models EmbedPersons uses, by role: the two feature models are required; the person detector, head-shoulder
/// locator and weight-adaptive model are optional (absent: whole image / geometric prior / the seed's table).
/// </summary>
/// <param name="Global">person_global: f_g from the person crop.</param>
/// <param name="HeadShoulder">person_head_shoulder: f_h from the head-shoulder crop.</param>
/// <param name="Detector">person_detector, or null.</param>
/// <param name="Locator">head_shoulder_locator, or null.</param>
/// <param name="WeightModel">weight_adaptive, or null.</param>
internal sealed record PersonModels(ModelRunner Global, ModelRunner HeadShoulder, ModelRunner? Detector, ModelRunner? Locator, ModelRunner? WeightModel)
{
    /// <summary>Resolves the roles; FAILED_PRECONDITION when a required model is not configured.</summary>
    public static PersonModels From(InferenceEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var weights = engine.TryGetByRole(ModelRole.WeightAdaptive);
        var global = Require(engine, ModelRole.PersonGlobal);
        if (weights is not null && weights.Config.Input.Dim != (global.Config.OutputFor(OutputMeaning.Embedding)?.Dim ?? weights.Config.Input.Dim))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"weight-adaptive model '{weights.Config.Name}' takes {weights.Config.Input.Dim} values but '{global.Config.Name}' gives f_g of {global.Config.OutputFor(OutputMeaning.Embedding)?.Dim}"));
        }

        return new PersonModels(global, Require(engine, ModelRole.PersonHeadShoulder), engine.TryGetByRole(ModelRole.PersonDetector),
            engine.TryGetByRole(ModelRole.HeadShoulderLocator), weights);
    }

    /// <summary>The embedding output of a feature model (meaning <c>embedding</c>, else its first output).</summary>
    public static string EmbeddingOutput(ModelRunner model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (model.Config.OutputFor(OutputMeaning.Embedding) ?? model.Config.Outputs[0]).Name;
    }

    /// <summary>The role as config.json spells it, e.g. <c>person_global</c>.</summary>
    public static string RoleName(ModelRole role) =>
        string.Concat(role.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static ModelRunner Require(InferenceEngine engine, ModelRole role) =>
        engine.TryGetByRole(role) ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"no model with role {RoleName(role)} is configured; add one to the model repository (scripts/forge-models.sh writes the default)"));
}
