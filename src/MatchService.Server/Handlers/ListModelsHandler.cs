using System.Globalization;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using MatchService.Inference.Health;
using MatchService.Server.Models;

namespace MatchService.Server.Handlers;

/// <summary><c>ListModels</c>: every model the engine runs, with its contract, devices and readiness.</summary>
internal sealed class ListModelsHandler(ModelHost models)
{
    /// <summary>Answers from the running engine (UNAVAILABLE while it still loads).</summary>
    public Task<ListModelsResponse> HandleAsync(ListModelsRequest request, ServerCallContext context)
    {
        var engine = models.Engine;
        var instancesByModel = engine.Instances.ToLookup(i => i.Model, StringComparer.Ordinal);
        var response = new ListModelsResponse();
        response.Models.AddRange(engine.Models.OrderBy(m => m.Config.Name, StringComparer.Ordinal)
            .Select(m => Describe(m.Config, instancesByModel[m.Config.Name].ToArray())));
        return Task.FromResult(response);
    }

    private static ModelInfo Describe(ModelConfig config, InstanceHealth[] instances)
    {
        var info = new ModelInfo
        {
            Name = config.Name,
            Role = ModelConfigFile.Word(config.Role),
            Source = ModelConfigFile.Word(config.Source),
            Version = config.Version,
            Description = config.Description ?? "",
            Input = DescribeInput(config.Input),
            Ready = instances.Length > 0 && instances.All(i => i.WarmedUp && i.Healthy),
            Metric = config.OutputFor(OutputMeaning.Embedding) is null ? Metric.Unspecified
                : config.Metric == DistanceMetric.Cosine ? Metric.Cosine : Metric.Euclidean,
            EmbeddingDimension = config.OutputFor(OutputMeaning.Embedding)?.Dim ?? 0,
        };
        info.Outputs.AddRange(config.Outputs.Select(o => $"{o.Name} [B,{(o.Dim is { } d ? d.ToString(CultureInfo.InvariantCulture) : "?")}] {ModelConfigFile.Word(o.Meaning)}"));
        info.Devices.AddRange(instances.GroupBy(i => i.Device, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));
        info.Instances.AddRange(instances.Select(i => new ModelInstanceInfo { Id = i.Instance, Device = i.Device, Provider = i.Provider, Healthy = i.Healthy }));
        return info;
    }

    private static string DescribeInput(InputSpec input)
    {
        if (input.IsVector)
        {
            return FormattableString.Invariant($"{input.Name} [B,{input.Dim}] float32");
        }
        var shape = string.Join(',', input.ItemShape);
        var text = FormattableString.Invariant($"{input.Name} [B,{shape}] {ModelConfigFile.Word(input.Layout).ToUpperInvariant()} {ModelConfigFile.Word(input.Color).ToUpperInvariant()} {ModelConfigFile.Word(input.DType)}");
        return input.DType == TensorElementType.UInt8
            ? text + " (raw 0-255)"
            : text + $", (x - mean) / std, mean [{Join(input.Mean, 0, input.Channels)}], std [{Join(input.Std, 1, input.Channels)}]";
    }

    // A channel value the config leaves out is the schema's default (mean 0, std 1).
    private static string Join(IReadOnlyList<float>? values, float absent, int channels) => Join(values ?? Enumerable.Repeat(absent, channels).ToArray());

    private static string Join(IReadOnlyList<float> values) => string.Join(',', values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)));
}
