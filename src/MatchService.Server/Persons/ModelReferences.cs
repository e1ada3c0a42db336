using MatchService.Inference.Configuration;
using MatchService.Inference.Engine;
using ProtoModelRef = MatchService.Contracts.V1.ModelRef;
using ProtoModelSource = MatchService.Contracts.V1.ModelSource;

namespace MatchService.Server.Persons;

/// <summary>How a loaded model is named in responses: name, version, and whether it is a trained model or a descriptor.</summary>
internal static class ModelReferences
{
    /// <summary>The reference of a loaded model; an empty reference when none was used.</summary>
    public static ProtoModelRef Of(ModelRunner? model) => model is null
        ? new ProtoModelRef()
        : new ProtoModelRef
        {
            Name = model.Config.Name,
            Version = model.Config.Version,
            Source = model.Config.Source == ModelSource.Descriptor ? ProtoModelSource.Descriptor : ProtoModelSource.Model,
        };

    /// <summary>The value source of a loaded model's outputs.</summary>
    public static ProtoModelSource SourceOf(ModelRunner model) =>
        model.Config.Source == ModelSource.Descriptor ? ProtoModelSource.Descriptor : ProtoModelSource.Model;
}
