using MatchService.Inference.Engine;
using MatchService.Inference.Runtime;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Pipeline;

/// <summary>Checks the engine-wide settings (section <c>Inference</c>) and names each wrong one with its key.</summary>
internal sealed class InferenceOptionsValidator : IValidateOptions<InferenceEngineOptions>
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Inference";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, InferenceEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        if (options.Session.IntraOpThreads < 0)
        {
            errors.AddError($"Inference:Session:IntraOpThreads {options.Session.IntraOpThreads} must be ≥ 0 (0 = cores ÷ CPU instances).");
        }

        if (options.Session.GraphOptimizationLevel is not (0 or 1 or 2 or 99))
        {
            errors.AddError($"Inference:Session:GraphOptimizationLevel {options.Session.GraphOptimizationLevel} must be 0, 1, 2 or 99 (none, basic, extended, all).");
        }

        if (options.UnhealthyAfterFailures < 1)
        {
            errors.AddError($"Inference:UnhealthyAfterFailures {options.UnhealthyAfterFailures} must be ≥ 1.");
        }

        if (options.PackingThreads < 0)
        {
            errors.AddError($"Inference:PackingThreads {options.PackingThreads} must be ≥ 0 (0 = one per core).");
        }

        if (options.ComputeNice is < 0 or > ComputePriority.MaxNice)
        {
            errors.AddError($"Inference:ComputeNice {options.ComputeNice} must be 0 to {ComputePriority.MaxNice} (nice levels below the request path; 0 = the same priority).");
        }

        return errors.Build();
    }
}
